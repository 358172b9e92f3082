/**
 * The per-resource template snapshots (template-snapshot.ts) on the sample app's real templates:
 * a change to one resource changes exactly its entry; any change anywhere changes exactly one
 * entry; the entries together hold the whole template; only asset hashes are left out.
 */
import { Stack } from 'aws-cdk-lib';
import fc from 'fast-check';
import { parse } from 'yaml';
import { sampleApp, templateOf } from './sample-app';
import { TEMPLATE_ENTRY, type TemplateJson, normalizeTemplateValue, templateSnapshotEntries } from './template-snapshot';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const { app } = sampleApp();
const templates = new Map(app.node.findAll().filter((construct): construct is Stack => Stack.isStack(construct))
  .map((stack) => [stack.node.path, templateOf(stack).toJSON() as TemplateJson]));
const transform = templates.get('dev/finance-transform')!;

/** The names of the entries that differ between two sets of entries (added and removed ones too). */
function changedEntries(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name]).sort();
}

/** The lines of `after` that are not in `before`, and the other way round: what a reviewer sees. */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const beforeLines = before.split('\n');
  const afterLines = after.split('\n');
  return { removed: beforeLines.filter((line) => !afterLines.includes(line)), added: afterLines.filter((line) => !beforeLines.includes(line)) };
}

const copy = <T>(value: T): T => structuredClone(value);

/** Every path to a value in a JSON document (objects' keys and arrays' indexes). */
function valuePaths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const children: Array<[string | number, Json]> = Array.isArray(value) ? value.map((child, index) => [index, child])
    : value !== null && typeof value === 'object' ? Object.entries(value) : [];
  return [prefix, ...children.flatMap(([key, child]) => valuePaths(child, [...prefix, key]))];
}

/** A different value: strings, numbers and booleans changed, collections grown by one element. */
function changed(value: Json): Json {
  if (typeof value === 'string') return `${value}~`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (value === null) return 'null';
  if (Array.isArray(value)) return [...value, 'extra'];
  return { ...value, Extra: 'extra' };
}

describe('per-resource template snapshots', () => {
  const entries = templateSnapshotEntries(transform);
  const functionId = Object.keys(transform.Resources!).find((id) => transform.Resources![id].Type === 'AWS::Lambda::Function')!;

  test('one entry per logical id, and one for the rest of the template', () => {
    expect(Object.keys(entries).sort()).toEqual([TEMPLATE_ENTRY, ...Object.keys(transform.Resources!)].sort());
    expect(entries[functionId]).toMatch(/^Type: AWS::Lambda::Function\n/);
    expect(parse(entries[TEMPLATE_ENTRY])).toMatchObject({ Outputs: expect.any(Object), Parameters: expect.any(Object), Rules: expect.any(Object) });
  });

  test('changing one property of one resource changes exactly that resource\'s entry, by one line', () => {
    const changedTemplate = copy(transform);
    (changedTemplate.Resources![functionId].Properties as Record<string, Json>).MemorySize = 2048;
    const after = templateSnapshotEntries(changedTemplate);
    expect(changedEntries(entries, after)).toEqual([functionId]);
    expect(lineDiff(entries[functionId], after[functionId])).toEqual({ removed: ['  MemorySize: 1024'], added: ['  MemorySize: 2048'] });
  });

  test('changing an output or a parameter changes exactly the (template) entry', () => {
    const changedTemplate = copy(transform);
    (changedTemplate.Parameters as Record<string, Record<string, Json>>).BootstrapVersion.Default = '/cdk-bootstrap/other/version';
    expect(changedEntries(entries, templateSnapshotEntries(changedTemplate))).toEqual([TEMPLATE_ENTRY]);
  });

  test('a resource added or removed changes the (template) entry, which lists every logical id with its type', () => {
    const removed = copy(transform);
    delete removed.Resources![functionId];
    expect(changedEntries(entries, templateSnapshotEntries(removed))).toEqual([TEMPLATE_ENTRY, functionId].sort());
    const retyped = copy(transform);
    retyped.Resources![functionId].Type = 'AWS::Serverless::Function';
    expect(changedEntries(entries, templateSnapshotEntries(retyped))).toEqual([TEMPLATE_ENTRY, functionId].sort());
  });

  test('any change to any value of any stack\'s template changes exactly one entry: the resource\'s, or (template)', () => {
    // Every path but the Resources section itself (adding and removing resources: the test above).
    const cases = [...templates.entries()].flatMap(([stack, template]) => valuePaths(template as Json)
      .filter((path) => path.length > 0 && !(path.length === 1 && path[0] === 'Resources')).map((path) => ({ stack, path })));
    const before = new Map<string, Record<string, string>>();
    fc.assert(fc.property(fc.constantFrom(...cases), ({ stack, path }) => {
      const template = templates.get(stack)!;
      const changedTemplate = copy(template) as Json as Record<string, Json>;
      let parent: Json = changedTemplate;
      for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key];
      const last = path.at(-1)!;
      (parent as Record<string | number, Json>)[last] = changed((parent as Record<string | number, Json>)[last]);
      if (!before.has(stack)) before.set(stack, templateSnapshotEntries(template));
      const owner = path[0] === 'Resources' ? String(path[1]) : TEMPLATE_ENTRY;
      // Changing a resource's Type shows in its entry and in the (template) list of ids.
      const expected = path[0] === 'Resources' && path.length === 3 && path[2] === 'Type' ? [owner, TEMPLATE_ENTRY].sort() : [owner];
      expect(changedEntries(before.get(stack)!, templateSnapshotEntries(changedTemplate as TemplateJson))).toEqual(expected);
    }), { numRuns: 300 });
  });

  test('the entries together hold the whole template, normalized', () => {
    for (const template of templates.values()) {
      const parsed = Object.fromEntries(Object.entries(templateSnapshotEntries(template)).map(([name, text]) => [name, parse(text)]));
      const { [TEMPLATE_ENTRY]: rest, ...resources } = parsed;
      expect(rest.Resources).toEqual(Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id, resource.Type])));
      expect({ ...rest, Resources: resources }).toEqual(normalizeTemplateValue(template as Json));
    }
  });

  test('asset hashes are left out; a base64 blob is one short digest line that changes with its content', () => {
    const hash = (character: string) => character.repeat(64);
    const withAsset = (assetHash: string, blob: unknown): TemplateJson => ({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {
      Code: { S3Bucket: 'assets', S3Key: `${assetHash}.zip` },
      Environment: { Variables: { SETTINGS: Buffer.from(JSON.stringify(blob)).toString('base64'), NAME: 'x'.repeat(80) } },
    } } } });
    const first = templateSnapshotEntries(withAsset(hash('a'), { datasets: ['stock_prices', 'fx_rates'], rowGroupRows: 100000 }));
    expect(changedEntries(first, templateSnapshotEntries(withAsset(hash('b'), { datasets: ['stock_prices', 'fx_rates'], rowGroupRows: 100000 })))).toEqual([]);
    expect(first.Fn).toContain('S3Key: <asset-hash>.zip');
    expect(first.Fn).toMatch(/SETTINGS: <base64 json 62 bytes sha256:[0-9a-f]{12}>/);
    // A long alphanumeric string that is not base64 of a document (a logical id, a name) stays as it is.
    expect(first.Fn).toContain(`NAME: ${'x'.repeat(80)}`);
    const other = templateSnapshotEntries(withAsset(hash('a'), { datasets: ['stock_prices', 'fx_rates'], rowGroupRows: 50000 }));
    expect(changedEntries(first, other)).toEqual(['Fn']);
    expect(lineDiff(first.Fn, other.Fn).added).toEqual([expect.stringMatching(/^ {6}SETTINGS: <base64 json 61 bytes sha256:[0-9a-f]{12}>$/)]);
  });
});
