/**
 * `npm run bench:scale` (add `-- --json` for one line): synthesizes generated configurations of
 * 20 lines of business with 5, 15 and 25 datasets each (one environment, with the sample's delivery
 * pipeline), under the full security
 * baseline, and reports synth time, resource counts and the largest stack by resources and by
 * template size. Exits 1 if any stack exceeds 400 resources or 800 KB (CloudFormation allows 500
 * and 1 MB; the margin leaves room to grow).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify, parse } from 'yaml';
import { loadLakeConfig } from '../lib/config/load-config';
import { createLakeworksApp } from '../lib/lakeworks-app';

// The tests run this same command on a small configuration through these variables.
const LOBS = Number(process.env.LAKEWORKS_SCALE_LOBS ?? 20);
const DATASET_COUNTS = (process.env.LAKEWORKS_SCALE_DATASETS ?? '5,15,25').split(',').map(Number);
const MAX_RESOURCES = 400;
const MAX_TEMPLATE_BYTES = 800 * 1024;
const ROOT = path.join(__dirname, '..');

function generatedConfig(datasetsPerLob: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-scale-'));
  fs.mkdirSync(path.join(dir, 'lobs'));
  const platform = parse(fs.readFileSync(path.join(ROOT, 'config', 'platform.yaml'), 'utf8'));
  platform.environments = platform.environments.slice(0, 1);
  fs.writeFileSync(path.join(dir, 'platform.yaml'), stringify(platform));
  const sample = parse(fs.readFileSync(path.join(ROOT, 'config', 'lobs', 'finance.yaml'), 'utf8'));
  for (let l = 1; l <= LOBS; l++) {
    const name = `lob${String(l).padStart(2, '0')}`;
    const datasets = Array.from({ length: datasetsPerLob }, (_, d) => ({
      ...sample.datasets[0],
      name: `dataset_${String(d + 1).padStart(2, '0')}`,
      ingest: d % 5 === 4 ? 'stream' : 'batch',
      format: d % 5 === 4 ? 'jsonl' : 'csv',
    }));
    fs.writeFileSync(path.join(dir, 'lobs', `${name}.yaml`), stringify({
      name, owner: `${name}@example.com`, costCenter: `cc-${l}`, datasets, personas: sample.personas,
    }));
  }
  return dir;
}

interface Figures {
  datasets_per_lob: number; synth_ms: number; stacks: number; resources: number; max_resources: number; max_resources_stack: string;
  max_template_kb: number; max_template_stack: string; pipeline_stages: number; pipeline_template_kb: number;
}

function measure(datasetsPerLob: number): Figures {
  const config = loadLakeConfig(generatedConfig(datasetsPerLob));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-scale-out-'));
  const { context } = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
  const start = process.hrtime.bigint();
  const { app, pipeline } = createLakeworksApp(config, { outdir, context, analyticsReporting: false });
  const assembly = app.synth();
  const synthMs = Number(process.hrtime.bigint() - start) / 1e6;
  // The environment's stacks and the delivery pipeline's, which grows with every stack it deploys.
  const stacks = [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((nested) => nested.nestedAssembly.stacks)];
  const sizes = stacks.map((stack) => ({
    name: stack.hierarchicalId,
    resources: Object.keys(stack.template.Resources ?? {}).length,
    bytes: fs.statSync(path.join(stack.assembly.directory, stack.templateFile)).size,
  }));
  const byResources = sizes.reduce((a, b) => (b.resources > a.resources ? b : a));
  const byBytes = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  fs.rmSync(outdir, { recursive: true, force: true });
  return {
    datasets_per_lob: datasetsPerLob, synth_ms: Math.round(synthMs), stacks: sizes.length, resources: sizes.reduce((sum, s) => sum + s.resources, 0),
    max_resources: byResources.resources, max_resources_stack: byResources.name, max_template_kb: Math.round(byBytes.bytes / 1024), max_template_stack: byBytes.name,
    pipeline_stages: pipeline?.pipeline.pipeline.stages.length ?? 0,
    pipeline_template_kb: Math.round((sizes.find((size) => size.name === 'pipeline')?.bytes ?? 0) / 1024),
  };
}

const json = process.argv.includes('--json');
const results = DATASET_COUNTS.map(measure);
if (json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  process.stdout.write(`Scale benchmark: ${LOBS} LoBs, one environment, full security baseline\n`);
  process.stdout.write('datasets/LoB  synth     stacks  resources  largest stack (resources)             largest template               pipeline\n');
  for (const r of results) {
    process.stdout.write(`${String(r.datasets_per_lob).padStart(12)}  ${(r.synth_ms / 1000).toFixed(1).padStart(5)} s  ${String(r.stacks).padStart(6)}  ${String(r.resources).padStart(9)}  `
      + `${`${r.max_resources} ${r.max_resources_stack}`.padEnd(36)}  ${`${r.max_template_kb} KB ${r.max_template_stack}`.padEnd(29)}  `
      + `${r.pipeline_stages} stages, ${r.pipeline_template_kb} KB\n`);
  }
}
const over = results.filter((r) => r.max_resources > MAX_RESOURCES || r.max_template_kb * 1024 > MAX_TEMPLATE_BYTES);
if (over.length > 0) {
  process.stderr.write(`limit exceeded (${MAX_RESOURCES} resources / ${MAX_TEMPLATE_BYTES / 1024} KB per stack): ${JSON.stringify(over)}\n`);
  process.exit(1);
}
