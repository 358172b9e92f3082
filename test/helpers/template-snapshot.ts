/**
 * Reviewable template snapshots. A stack's template is snapshotted as one entry per resource (its
 * logical id: type, properties and every other attribute) plus one `(template)` entry for the rest
 * (description, parameters, conditions, mappings, rules, outputs, ...) and the list of logical ids
 * with their types. Every part of the template is in exactly one entry, so any change fails a
 * snapshot, and the failing test names the resource that changed; a resource added or removed
 * changes the `(template)` entry (and a removed one leaves an obsolete entry, which fails the run).
 *
 * Entries are YAML, keys sorted (as Jest's own printer sorts them), collections that fit on a short
 * line written on one line: about half the size of the whole-template JSON snapshots, and a
 * property's change is a line or two of diff. Two kinds of value are normalized so that churn
 * which is not a template change does not drown real diffs:
 * - asset hashes (64 hex characters, in asset keys, parameters and image tags) become
 *   `<asset-hash>`: they change with a Lambda's source or a bundler's output, not with the template
 *   (as test/helpers/asset-hash-serializer.ts does for other snapshots);
 * - base64 blobs (a whole string value of 64+ characters that decodes to JSON or gzip, e.g. bundled
 *   configuration) become `<base64 N bytes sha256:0123456789ab>`: still a change when their content
 *   changes, as one short line.
 */
import { createHash } from 'node:crypto';
import { Document, isCollection, visit } from 'yaml';

/** The entry for everything but the resources' bodies. Logical ids are alphanumeric, so no resource can be named so. */
export const TEMPLATE_ENTRY = '(template)';

/** Collections whose JSON is at most this long are written on one line. */
const FLOW_WIDTH = 72;
const ASSET_HASHES = /[0-9a-f]{64}/g;
const BASE64 = /^[A-Za-z0-9+/]{64,}={0,2}$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TemplateJson = { Resources?: Record<string, { Type: string } & Record<string, Json>> } & Record<string, Json>;

function base64Blob(value: string): string | undefined {
  if (value.length % 4 !== 0 || !BASE64.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzip) {
    try {
      const decoded = JSON.parse(bytes.toString('utf8'));
      if (typeof decoded !== 'object' || decoded === null) return undefined;
    } catch {
      return undefined;
    }
  }
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  return `<base64 ${gzip ? 'gzip' : 'json'} ${bytes.length} bytes sha256:${digest}>`;
}

/** A copy of `value` with asset hashes and base64 blobs normalized and object keys sorted. */
export function normalizeTemplateValue(value: Json): Json {
  if (typeof value === 'string') return base64Blob(value) ?? value.replace(ASSET_HASHES, '<asset-hash>');
  if (Array.isArray(value)) return value.map(normalizeTemplateValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, normalizeTemplateValue(value[key])]));
  }
  return value;
}

/** YAML of an already normalized value: keys in the value's order, short collections on one line. */
export function snapshotYaml(value: Json): string {
  const document = new Document(value, { aliasDuplicateObjects: false });
  visit(document, {
    Collection(_key, node) {
      if (JSON.stringify(node.toJSON()).length <= FLOW_WIDTH) node.flow = true;
    },
  });
  // The top level is always a block: one line per attribute.
  if (isCollection(document.contents)) document.contents.flow = false;
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * The snapshot entries of a template, by name: one per logical id, and `(template)`. Pure: the same
 * template gives the same entries, and tests compare entries of two templates with it.
 */
export function templateSnapshotEntries(template: TemplateJson): Record<string, string> {
  const { Resources: resources = {}, ...rest } = template;
  const entries: Record<string, string> = {
    [TEMPLATE_ENTRY]: snapshotYaml({
      ...(normalizeTemplateValue(rest as Json) as Record<string, Json>),
      Resources: Object.fromEntries(Object.keys(resources).sort().map((id) => [id, resources[id].Type])),
    }),
  };
  for (const id of Object.keys(resources).sort()) {
    const { Type, ...attributes } = resources[id];
    // Type first, then the other attributes (DependsOn, DeletionPolicy, Properties, ...) sorted.
    entries[id] = snapshotYaml({ Type, ...(normalizeTemplateValue(attributes as Json) as Record<string, Json>) });
  }
  return entries;
}

/** An entry as Jest stores it: the YAML as it is, not as a quoted string. */
class SnapshotEntry {
  constructor(readonly text: string) {}
}
expect.addSnapshotSerializer({
  test: (value: unknown) => value instanceof SnapshotEntry,
  serialize: (value: SnapshotEntry) => value.text.trimEnd(),
});

/**
 * Registers a template's snapshot tests in the calling describe block, under `snapshot`: one test
 * per entry, named by the entry (`snapshot TransformFunctionA1B2C3D4`, `snapshot (template)`).
 */
export function describeTemplateSnapshot(template: TemplateJson): void {
  const entries = templateSnapshotEntries(template);
  describe('snapshot', () => {
    test.each(Object.keys(entries))('%s', (name) => {
      expect(new SnapshotEntry(entries[name])).toMatchSnapshot();
    });
  });
}
