/**
 * Writes the JSON Schemas editors use to validate and complete config files
 * (`config/schema/*.schema.json`), generated from the same zod schemas synth validates with.
 *
 *   npm run config:schema            regenerate the files
 *   npm run config:schema -- --check exit 1 if the committed files are stale (used by the tests)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchemas } from '../lib/config/json-schema';

const outDir = path.join(__dirname, '..', 'config', 'schema');
const check = process.argv.includes('--check');
let stale = false;
fs.mkdirSync(outDir, { recursive: true });
for (const [file, content] of Object.entries(configJsonSchemas())) {
  const target = path.join(outDir, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  if (check) {
    stale = true;
    process.stderr.write(`${path.relative(process.cwd(), target)} is out of date: run npm run config:schema\n`);
  } else {
    fs.writeFileSync(target, content);
    process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
  }
}
process.exit(stale ? 1 : 0);
