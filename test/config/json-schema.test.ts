import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchemas } from '../../lib/config/json-schema';
import { SAMPLE_CONFIG_DIR } from '../helpers/sample-app';

describe('JSON Schemas for editors', () => {
  test.each(Object.entries(configJsonSchemas()))('config/schema/%s is generated from the current schemas (npm run config:schema)', (file, content) => {
    expect(fs.readFileSync(path.join(SAMPLE_CONFIG_DIR, 'schema', file), 'utf8')).toBe(content);
  });

  test('npm run config:schema -- --check finds nothing stale', () => {
    const { status, stderr } = spawnSync('npm', ['run', 'config:schema', '--', '--check'], { cwd: path.join(SAMPLE_CONFIG_DIR, '..'), encoding: 'utf8' });
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
  });

  const configFiles = ['platform.yaml', ...fs.readdirSync(path.join(SAMPLE_CONFIG_DIR, 'lobs')).map((file) => `lobs/${file}`)];
  test.each(configFiles)('config/%s references its schema', (file) => {
    const firstLine = fs.readFileSync(path.join(SAMPLE_CONFIG_DIR, file), 'utf8').split('\n')[0];
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine);
    expect(match).not.toBeNull();
    const schemaFile = path.resolve(path.dirname(path.join(SAMPLE_CONFIG_DIR, file)), match![1]);
    expect(path.basename(schemaFile)).toBe(file === 'platform.yaml' ? 'platform.schema.json' : 'lob.schema.json');
    expect(fs.existsSync(schemaFile)).toBe(true);
  });

  test('describes the column types and rejects unknown keys', () => {
    const lob = JSON.parse(configJsonSchemas()['lob.schema.json']);
    expect(lob.additionalProperties).toBe(false);
    const column = lob.properties.datasets.items.properties.schema.items;
    expect(new RegExp(column.properties.type.pattern).test('decimal(18,6)')).toBe(true);
    expect(new RegExp(column.properties.type.pattern).test('float64')).toBe(false);
  });
});
