/**
 * `npm run access -- --env <env> [--json <file>] [--assembly <cdk.out>]`: who can read which table
 * and column in which layer, through which grant and which row filter, worked out from the
 * synthesized templates (tools/access/access-matrix.ts). Synthesizes the app into a temporary
 * folder unless --assembly names one. Exits 1 when the matrix breaks an access rule (a persona
 * reading a column its classifications do not clear, a layer it is not given, a filtered table
 * outside its filter), 2 on bad arguments.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../lib/config/config-error';
import { loadLakeConfig } from '../lib/config/load-config';
import { createLakeworksApp } from '../lib/lakeworks-app';
import { accessMatrix, accessViolations, formatMatrix } from '../tools/access/access-matrix';
import { readAssembly } from '../tools/assembly/cloud-assembly';

const USAGE = 'usage: npm run access -- --env <env> [--json <file>] [--assembly <cdk.out>]';

function main(): number {
  let args;
  try {
    args = parseArgs({ options: { env: { type: 'string' }, json: { type: 'string' }, assembly: { type: 'string' }, config: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!args.env) {
    process.stderr.write(`missing --env\n${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadLakeConfig(args.config ?? process.env.LAKEWORKS_CONFIG_DIR ?? 'config');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid Lakeworks configuration:\n${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (!config.platform.environments.some((environment) => environment.name === args.env)) {
    process.stderr.write(`unknown environment ${JSON.stringify(args.env)}; configured: ${config.platform.environments.map((e) => e.name).join(', ')}\n${USAGE}\n`);
    return 2;
  }
  let outdir = args.assembly;
  if (!outdir) {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-access-'));
    createLakeworksApp(config, { outdir }).app.synth();
  }
  const matrix = accessMatrix(config, args.env, readAssembly(outdir));
  process.stdout.write(`${formatMatrix(matrix)}\n`);
  if (args.json) fs.writeFileSync(args.json, `${JSON.stringify(matrix, null, 2)}\n`);
  const violations = accessViolations(config, matrix);
  for (const violation of violations) process.stderr.write(`access rule broken: ${violation}\n`);
  return violations.length > 0 ? 1 : 0;
}

process.exit(main());
