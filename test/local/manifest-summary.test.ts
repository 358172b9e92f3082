import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manifestSummary } from '../../tools/local/manifest-summary';

test('local mode sums rounded values and drift over a dataset\'s manifests, and says nothing when there was none', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-manifests-'));
  const write = (name: string, body: object) => {
    fs.mkdirSync(path.join(dir, 'manifests', 'flights', '2024-01-02'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifests', 'flights', '2024-01-02', name), JSON.stringify(body));
  };
  expect(manifestSummary(dir, 'flights')).toEqual({});
  write('a.json', { records: { read: 2, written: 2, quarantined: 0, rounded: 3 }, drift: { extraColumns: ['gate'], missingColumns: [] } });
  write('b.json', { records: { read: 1, written: 1, quarantined: 0, rounded: 1 }, drift: { extraColumns: ['gate', 'tail'], missingColumns: ['carrier'] } });
  write('c.json', { records: { read: 1, written: 1, quarantined: 0 } });
  expect(manifestSummary(dir, 'flights')).toEqual({ rounded: 4, drift: { extraColumns: ['gate', 'tail'], missingColumns: ['carrier'] } });
});
