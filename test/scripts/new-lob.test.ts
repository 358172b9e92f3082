import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadLakeConfig } from '../../lib/config/load-config';
import { newLob } from '../../scripts/new-lob';
import { SAMPLE_CONFIG_DIR, synthesizedApp } from '../helpers/sample-app';

function configCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-newlob-'));
  fs.cpSync(SAMPLE_CONFIG_DIR, dir, { recursive: true });
  return dir;
}

describe('npm run new-lob', () => {
  test('writes a valid LoB whose stacks synthesize under the security baseline', () => {
    const dir = configCopy();
    const { file } = newLob('risk', dir);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/lob\.schema\.json/);
    const config = loadLakeConfig(dir);
    expect(config.lobs.map((lob) => lob.name)).toEqual(['finance', 'marketing', 'risk']);
    const { stages } = synthesizedApp(config);
    expect([...stages[0].lobStacks.keys()]).toContain('risk');
    expect(stages[0].lobStacks.get('risk')!.storage.stackName).toBe('acme-dev-risk-storage');
  });

  test('npm run new-lob -- <name> writes the file into LAKEWORKS_CONFIG_DIR and prints the next steps', () => {
    const dir = configCopy();
    const { status, stdout, stderr } = spawnSync('npm', ['run', 'new-lob', '--', 'risk'], {
      cwd: path.join(SAMPLE_CONFIG_DIR, '..'), encoding: 'utf8', env: { ...process.env, LAKEWORKS_CONFIG_DIR: dir },
    });
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.existsSync(path.join(dir, 'lobs', 'risk.yaml'))).toBe(true);
    expect(stdout).toContain("npx cdk deploy 'dev/risk-*'");
    const again = spawnSync('npm', ['run', 'new-lob', '--', 'risk'], {
      cwd: path.join(SAMPLE_CONFIG_DIR, '..'), encoding: 'utf8', env: { ...process.env, LAKEWORKS_CONFIG_DIR: dir },
    });
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/risk\.yaml already exists/);
  });

  test.each([
    ['finance', /config\/lobs\/finance\.yaml already exists|finance\.yaml already exists/],
    ['Risk_Desk', /"Risk_Desk" is not a valid line-of-business name: use lowercase letters, digits and single hyphens/],
    [undefined, /usage: npm run new-lob -- <name>/],
    ['a-line-of-business-name-so-long-no-bucket-can-hold-it', /cannot be added:\n[^]*is \d+ characters long; S3 allows at most 63/],
  ])('refuses %s with a clear message and writes nothing', (name, message) => {
    const dir = configCopy();
    const before = fs.readdirSync(path.join(dir, 'lobs')).sort();
    expect(() => newLob(name, dir)).toThrow(message);
    expect(fs.readdirSync(path.join(dir, 'lobs')).sort()).toEqual(before);
  });
});
