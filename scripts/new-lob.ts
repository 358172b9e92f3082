/**
 * `npm run new-lob -- <name>`: writes config/lobs/<name>.yaml from config/lob-template.yaml (one
 * example dataset, the standard personas), after checking the name the same way synth will, and
 * prints the next steps. Refuses an existing LoB or an invalid name with a clear message.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../lib/config/config-error';
import { loadLakeConfig } from '../lib/config/load-config';
import { SLUG_PATTERN, SLUG_RULE } from '../lib/config/names';

export function newLob(name: string | undefined, configDir: string): { file: string } {
  if (!name) throw new Error('usage: npm run new-lob -- <name>');
  if (!SLUG_PATTERN.test(name)) throw new Error(`"${name}" is not a valid line-of-business name: use ${SLUG_RULE}`);
  const file = path.join(configDir, 'lobs', `${name}.yaml`);
  if (fs.existsSync(file) || fs.existsSync(file.replace(/\.yaml$/, '.yml'))) throw new Error(`${path.relative(process.cwd(), file)} already exists`);
  const template = fs.readFileSync(path.join(configDir, 'lob-template.yaml'), 'utf8');
  fs.writeFileSync(file, template.replace(/__NAME__/g, name));
  try {
    // The whole config must still be valid (e.g. bucket and role names within limits).
    loadLakeConfig(configDir);
  } catch (error) {
    fs.rmSync(file);
    if (error instanceof ConfigError) throw new Error(`"${name}" cannot be added:\n${error.message}`);
    throw error;
  }
  return { file };
}

if (require.main === module) {
  try {
    const { file } = newLob(process.argv[2], process.env.LAKEWORKS_CONFIG_DIR ?? 'config');
    const shown = path.relative(process.cwd(), file);
    process.stdout.write([
      `wrote ${shown}`,
      '',
      'Next steps:',
      `  1. Edit ${shown}: owner, costCenter, your datasets and personas (docs/configuration.md).`,
      '  2. npx cdk synth            # validates the file and synthesizes the new stacks',
      '  3. npm run test:update      # records snapshots of the new stacks; then npm test',
      `  4. npx cdk deploy 'dev/${process.argv[2]}-*'`,
      '',
    ].join('\n'));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}
