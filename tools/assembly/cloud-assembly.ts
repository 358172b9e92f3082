/**
 * A synthesized cloud assembly read as CloudFormation will see it: each stage's stacks with their
 * templates and the stacks they depend on. The access report, the deploy-order and update-safety
 * tests read the app through here, never through the constructs that made it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Template {
  readonly Resources?: Record<string, { Type: string; Properties?: any; DependsOn?: string | string[] }>;
  readonly [section: string]: unknown;
}

export interface AssemblyStack {
  /** The artifact id, e.g. devfinancecatalog2DB746A4. */
  readonly id: string;
  /** The construct path `cdk deploy` selects on, e.g. dev/finance-catalog. */
  readonly displayName: string;
  readonly stage: string;
  readonly template: Template;
  /** Artifact ids of the stacks deployed before this one (direct dependencies only). */
  readonly dependencies: readonly string[];
}

interface Manifest {
  artifacts?: Record<string, { type: string; displayName?: string; dependencies?: string[]; properties?: { templateFile?: string; directoryName?: string } }>;
}

/** Every stack of every stage (nested assemblies) under a cloud assembly directory. */
export function readAssembly(outdir: string): AssemblyStack[] {
  const stacks: AssemblyStack[] = [];
  const visit = (dir: string, stage: string) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        visit(path.join(dir, artifact.properties.directoryName), '');
      }
      if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
        const displayName = artifact.displayName ?? id;
        stacks.push({
          id,
          displayName,
          // A stage's stacks are shown as <stage>/<stack>; the pipeline stack has no stage.
          stage: displayName.includes('/') ? displayName.split('/')[0] : stage,
          template: JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8')),
          dependencies: (artifact.dependencies ?? []).filter((dependency) => manifest.artifacts?.[dependency]?.type === 'aws:cloudformation:stack'),
        });
      }
    }
  };
  visit(outdir, '');
  return stacks;
}

/** The stacks `stack` is deployed after, directly or through others. */
export function deployedBefore(stacks: readonly AssemblyStack[], stack: AssemblyStack): Set<string> {
  const byId = new Map(stacks.map((candidate) => [candidate.id, candidate]));
  const seen = new Set<string>();
  const pending = [...stack.dependencies];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    pending.push(...(byId.get(id)?.dependencies ?? []));
  }
  return seen;
}

export function resourcesOf(stack: AssemblyStack, type: string): Array<[string, any]> {
  return Object.entries(stack.template.Resources ?? {}).filter(([, resource]) => resource.Type === type).map(([id, resource]) => [id, resource.Properties ?? {}]);
}
