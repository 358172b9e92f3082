/**
 * Preloaded with `node -r` (test/app/production-dependencies.test.ts): the process runs as if
 * devDependencies were not installed, as after `npm ci --omit=dev`. Resolving a package that
 * package-lock.json marks dev-only (a devDependency, or a package only devDependencies need) fails
 * with MODULE_NOT_FOUND, through `require`, `require.resolve` and `import` alike, and is recorded.
 *
 * Except the tools that run the build itself, and the packages they need: tsx (runs the app's
 * TypeScript), typescript, esbuild (NodejsFunction bundles Lambda code with it, in a process of
 * its own, after checking its version with `require`), the aws-cdk CLI and @types/*.
 *
 * At exit it writes what it blocked and what it refused to stderr, and as JSON to the file
 * LAKEWORKS_DEV_GUARD_REPORT names, if set. LAKEWORKS_DEV_GUARD_ROOT: the repository (default: the
 * working directory).
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const os = require('node:os');
const { pathToFileURL } = require('node:url');

const root = path.resolve(process.env.LAKEWORKS_DEV_GUARD_ROOT || process.cwd());
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages;

const BUILD_TOOLS = ['tsx', 'typescript', 'esbuild', 'aws-cdk'];
const isBuildTool = (name) => BUILD_TOOLS.includes(name) || name.startsWith('@types/');

/** The lockfile key of the package `name` as code in the package at `from` resolves it. */
function locate(name, from) {
  for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
    const key = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock[key]) return key;
    if (!base) return undefined;
  }
}

/** Lockfile keys of the build tools and everything they depend on. */
const allowed = new Set();
const pending = Object.keys(manifest.devDependencies || {}).filter(isBuildTool).map((name) => locate(name, ''));
while (pending.length > 0) {
  const key = pending.pop();
  if (!key || allowed.has(key)) continue;
  allowed.add(key);
  const entry = lock[key];
  for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) pending.push(locate(name, key));
}

const blocked = new Set(Object.keys(lock).filter((key) => key && lock[key].dev && !allowed.has(key)));
const blockedDevDependencies = Object.keys(manifest.devDependencies || {}).filter((name) => blocked.has(`node_modules/${name}`)).sort();
const allowedDevDependencies = Object.keys(manifest.devDependencies || {}).filter((name) => !blocked.has(`node_modules/${name}`)).sort();

/** The lockfile key of the package holding `file`, or undefined for the project's own files. */
function packageKeyOf(file) {
  const parts = path.relative(root, file).split(path.sep);
  const key = [];
  for (let index = 0; parts[index] === 'node_modules';) {
    const length = parts[index + 1] && parts[index + 1].startsWith('@') ? 2 : 1;
    key.push('node_modules', ...parts.slice(index + 1, index + 1 + length));
    index += 1 + length;
  }
  return key.length > 0 ? key.join('/') : undefined;
}

const refused = [];
function refuse(request, key, from, code) {
  const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  refused.push({ package: name, request, from: from ? path.relative(root, from) : undefined });
  const error = new Error(`Cannot find module '${request}': ${name} is dev-only (dev-dependency guard; a production install does not have it)`);
  error.code = code;
  return error;
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function guardedResolveFilename(request, parent, ...rest) {
  const resolved = resolveFilename.call(this, request, parent, ...rest);
  const key = path.isAbsolute(resolved) ? packageKeyOf(resolved) : undefined;
  if (key && blocked.has(key)) throw refuse(request, key, parent && parent.filename, 'MODULE_NOT_FOUND');
  return resolved;
};

// import() and ESM imports: the same check in a resolve hook. It runs on the loader's thread and
// appends its refusals, one JSON line each, to a file read at exit (a MessagePort handed to the
// hooks from a `-r` preload ends Node 20 at start).
const esmRefusals = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-dev-guard-')), 'refused.jsonl');
Module.register(pathToFileURL(path.join(__dirname, 'dev-dependency-guard-hooks.mjs')), { data: { root, blocked: [...blocked], refusals: esmRefusals } });

process.on('exit', () => {
  if (fs.existsSync(esmRefusals)) refused.push(...fs.readFileSync(esmRefusals, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)));
  fs.rmSync(path.dirname(esmRefusals), { recursive: true, force: true });
  const report = {
    blockedDevDependencies,
    blockedPackages: blocked.size,
    allowedDevDependencies,
    refused,
  };
  process.stderr.write(`dev-dependency guard: blocked ${blockedDevDependencies.length} devDependencies (${blockedDevDependencies.join(', ')}) `
    + `and ${blocked.size - blockedDevDependencies.length} packages only devDependencies need; allowed build tools: ${allowedDevDependencies.join(', ')}; `
    + `refused: ${refused.length === 0 ? 'none' : refused.map((refusal) => `${refusal.package} (${refusal.request} from ${refusal.from})`).join(', ')}\n`);
  if (process.env.LAKEWORKS_DEV_GUARD_REPORT) fs.writeFileSync(process.env.LAKEWORKS_DEV_GUARD_REPORT, JSON.stringify(report, null, 2));
});
