/**
 * The repository's import graph, read with the TypeScript compiler API, and the rules that keep
 * its directions (DESIGN.md, "Code layout (the seams)"):
 *
 * - `contract/` (what deploy and runtime share) imports only itself, node builtins and production
 *   dependencies;
 * - `lambda/` (runtime) imports only itself and `contract/`; a devDependency only for its types;
 * - `lib/` (synth) imports only itself and `contract/`, node builtins and production dependencies:
 *   no tools, scripts, benchmarks, tests or Lambda code (stacks name a Lambda's entry file by
 *   path, for bundling, never by import);
 * - `lib/config/` imports only itself and `contract/`: config is read before any construct exists;
 * - `bin/` (the app) imports only `lib/` and `contract/`.
 *
 * Every import counts, type-only ones included: `import`, `export … from`, `import x = require()`,
 * `require()`, `import()` and `typeof import()`.
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface ImportRef {
  readonly specifier: string;
  /** Erased at compile time (`import type`, `typeof import()`). */
  readonly typeOnly: boolean;
}

export interface PackageManifest {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

export type ImportTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string; readonly declared: 'production' | 'development' | 'undeclared' };

export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

/** Every module specifier `text` imports, by walking its syntax tree. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportRef[] = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly
        || (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
          && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node.arguments[0], false);
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments.length >= 1
      && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'require' && node.expression.name.text === 'resolve') {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** What `specifier`, imported by `file` (relative to the repository), refers to. */
export function targetOf(file: string, specifier: string, manifest: PackageManifest): ImportTarget {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    return { kind: 'file', path: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) };
  }
  if (specifier.startsWith('node:') || builtinModules.includes(packageName(specifier))) return { kind: 'builtin', name: specifier.replace(/^node:/, '') };
  const name = packageName(specifier);
  const declared = (candidate: string) => (manifest.dependencies?.[candidate] !== undefined ? 'production'
    : manifest.devDependencies?.[candidate] !== undefined ? 'development' : undefined);
  // A package of types only (`aws-lambda`) is declared as @types/<name>.
  const typesPackage = name.startsWith('@') ? `@types/${name.slice(1).replace('/', '__')}` : `@types/${name}`;
  return { kind: 'package', name, declared: declared(name) ?? declared(typesPackage) ?? 'undeclared' };
}

const topFolder = (file: string) => file.split('/')[0];
const under = (file: string, folder: string) => file.startsWith(`${folder}/`);
const describeTarget = (target: ImportTarget) => (target.kind === 'file' ? `${topFolder(target.path)}/` : target.kind === 'builtin' ? 'a node builtin' : `${target.declared} package ${target.name}`);

interface Rule {
  readonly files: string;
  readonly allows: (target: ImportTarget, ref: ImportRef) => boolean;
  readonly says: string;
}

const packagesOfProduction = (target: ImportTarget) => target.kind === 'builtin' || (target.kind === 'package' && target.declared === 'production');
const RULES: readonly Rule[] = [
  {
    files: 'contract',
    allows: (target) => (target.kind === 'file' ? under(target.path, 'contract') : packagesOfProduction(target)),
    says: 'contract/ imports only itself, node builtins and production dependencies',
  },
  {
    files: 'lambda',
    allows: (target, ref) => (target.kind === 'file' ? under(target.path, 'lambda') || under(target.path, 'contract')
      : target.kind === 'builtin' || target.declared === 'production' || (ref.typeOnly && target.declared === 'development')),
    says: 'lambda/ imports only itself, contract/ and production dependencies (devDependencies for types only)',
  },
  {
    files: 'lib',
    allows: (target) => (target.kind === 'file' ? under(target.path, 'lib') || under(target.path, 'contract') : packagesOfProduction(target)),
    says: 'lib/ imports only itself, contract/, node builtins and production dependencies',
  },
  {
    files: 'lib/config',
    allows: (target) => target.kind !== 'file' || under(target.path, 'lib/config') || under(target.path, 'contract'),
    says: 'lib/config/ imports only itself and contract/',
  },
  {
    files: 'bin',
    allows: (target) => (target.kind === 'file' ? under(target.path, 'lib') || under(target.path, 'contract') : packagesOfProduction(target)),
    says: 'bin/ imports only lib/, contract/ and production dependencies',
  },
];

/** Every import of `files` (path relative to the repository -> text) that breaks a rule. */
export function boundaryViolations(files: ReadonlyMap<string, string>, manifest: PackageManifest): Violation[] {
  const violations: Violation[] = [];
  for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    for (const ref of importsOf(file, text)) {
      const target = targetOf(file, ref.specifier, manifest);
      for (const rule of RULES.filter((candidate) => under(file, candidate.files))) {
        if (!rule.allows(target, ref)) violations.push({ file, specifier: ref.specifier, rule: `${rule.says}; this is ${describeTarget(target)}` });
      }
    }
  }
  return violations;
}

/** `file -> import  (rule)`, one line per violation. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((violation) => `${violation.file} -> ${violation.specifier}  (${violation.rule})`).join('\n');
}

/** Folders of TypeScript sources, relative to the repository. */
export const SOURCE_FOLDERS = ['bin', 'contract', 'lib', 'lambda', 'scripts', 'tools', 'bench', 'test'] as const;

/** Every .ts file of the repository's source folders: path relative to `root` (with /) -> text. */
export function repositorySources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.ts')) files.set(child, fs.readFileSync(path.join(root, child), 'utf8'));
    }
  };
  for (const folder of SOURCE_FOLDERS) if (fs.existsSync(path.join(root, folder))) walk(folder);
  return files;
}
