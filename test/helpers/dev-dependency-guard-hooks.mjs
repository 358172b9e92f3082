/**
 * The resolve hook of dev-dependency-guard.cjs, for `import`: a module resolved into a dev-only
 * package fails as not found, and the refusal is appended to the guard's file of refusals.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

let root;
let blocked;
let refusals;

export function initialize(data) {
  root = data.root;
  blocked = new Set(data.blocked);
  refusals = data.refusals;
}

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

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const key = result.url.startsWith('file:') ? packageKeyOf(fileURLToPath(result.url)) : undefined;
  if (key && blocked.has(key)) {
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const from = context.parentURL && context.parentURL.startsWith('file:') ? path.relative(root, fileURLToPath(context.parentURL)) : context.parentURL;
    fs.appendFileSync(refusals, `${JSON.stringify({ package: name, request: specifier, from })}\n`);
    const error = new Error(`Cannot find package '${specifier}': ${name} is dev-only (dev-dependency guard; a production install does not have it)`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return result;
}
