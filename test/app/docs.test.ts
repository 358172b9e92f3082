/**
 * README.md and docs/ as user documentation: README stays short and points into docs/; every
 * relative link (and its #anchor) resolves; no page narrates the project's own history (dated
 * entries, sessions, what was tried); the configuration reference names every field the JSON
 * Schemas define; every `npm run` script a page names exists; and the Parquet writer's comments
 * say why, not what a past run measured (figures belong in docs/benchmarks.md, with their command).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const PAGES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const SCRIPTS: Record<string, string> = JSON.parse(read('package.json')).scripts;

/** The page without fenced code blocks and inline code: what is prose and links. */
function prose(text: string): string {
  return text.replace(/^\s*(```|~~~)[\s\S]*?^\s*\1/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lowercased, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of read(file).replace(/^\s*(```|~~~)[\s\S]*?^\s*\1/gm, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

test('README.md is at most 400 lines', () => {
  expect(read('README.md').split('\n').length).toBeLessThanOrEqual(400);
});

test('README keeps "The two commands" and links every page of docs/', () => {
  const readme = read('README.md');
  expect(readme).toContain('## The two commands');
  const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1]));
  expect(PAGES.filter((page) => page.startsWith('docs/') && !linked.has(page))).toEqual([]);
});

describe.each(PAGES)('%s', (page) => {
  const text = read(page);

  test('every relative link resolves to an existing file, and every #anchor to a heading there', () => {
    const broken: string[] = [];
    for (const match of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split('#');
      const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
      if (!fs.existsSync(path.join(ROOT, resolved))) {
        broken.push(`${target}: no file ${resolved}`);
      } else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
        broken.push(`${target}: no heading #${anchor} in ${resolved}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('narrates no development history (dated entries, sessions, rounds, what was tried)', () => {
    const diary = [
      /\b20\d\d-\d\d-\d\d\b[^\n]*\b(sessions?|tried|rounds?)\b/i,
      /\b(sessions?|tried|rounds?)\b[^\n]*\b20\d\d-\d\d-\d\d\b/i,
      /\b(this|that|first|second|third|fourth|fifth|next|previous|last|earlier|latest) session\b/i,
      /\bwe tried\b/i,
      /\btried and not kept\b/i,
      /\btried, then removed\b/i,
      /\brounds? of work\b/i,
      /\b(until|since|as of|measured on|benchmarked on|times on|runs on) 20\d\d-\d\d-\d\d\b/i,
      /\(\s*20\d\d-\d\d-\d\d\s*[;)]/, // "(2026-11-22)": a dated aside, not an example value
    ];
    const hits = text.split('\n').flatMap((line, index) => (diary.some((pattern) => pattern.test(line)) ? [`${page}:${index + 1}: ${line.trim()}`] : []));
    expect(hits).toEqual([]);
  });

  test('every `npm run <script>` it names is a script of package.json', () => {
    const named = [...text.matchAll(/npm run (?:-s |--silent )?([a-z][\w:-]*)/g)].map((match) => match[1]);
    expect(named.filter((script) => !(script in SCRIPTS))).toEqual([]);
  });
});

test('docs/configuration.md names every field of the generated JSON Schemas', () => {
  const reference = read('docs/configuration.md');
  const missing: string[] = [];
  const walk = (schema: Record<string, unknown>, where: string) => {
    if (!schema || typeof schema !== 'object') return;
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      for (const sub of (schema[key] as Record<string, unknown>[] | undefined) ?? []) walk(sub, where);
    }
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, sub] of Object.entries(properties)) {
      if (!new RegExp(`\`[^\`]*(?<![\\w$])${name.replace(/\$/g, '\\$')}(?!\\w)[^\`]*\``).test(reference)) missing.push(`${where}${name}`);
      walk(sub, `${where}${name}.`);
    }
    if (schema.items && typeof schema.items === 'object') walk(schema.items as Record<string, unknown>, `${where.replace(/\.$/, '')}[].`);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties as Record<string, unknown>, `${where}<key>.`);
  };
  for (const file of ['config/schema/platform.schema.json', 'config/schema/lob.schema.json']) walk(JSON.parse(read(file)), `${file}: `);
  expect(missing).toEqual([]);
});

test('docs/benchmarks.md gives the curation figures and the command that measures them', () => {
  const benchmarks = read('docs/benchmarks.md');
  const curation = benchmarks.slice(benchmarks.indexOf('## Curation'));
  expect(curation).toMatch(/rows a day's run reads grow by \*\*[+-]\d+(\.\d+)?%\*\* \(target ±10%: (met|not met)\)/);
  for (const script of ['bench', 'bench:scale', 'bench:curation']) expect(benchmarks).toContain(`npm run ${script}`);
});

test('comments in the transform and the Parquet writer carry no figures from past runs', () => {
  const files = ['lambda/transform', 'lambda/parquet'].flatMap((dir) =>
    fs.readdirSync(path.join(ROOT, dir)).filter((name) => name.endsWith('.ts')).map((name) => `${dir}/${name}`));
  const figures = [/\b\d+(\.\d+)? ?ms\b/, /\bper \d+k\b/i, /\b\d+k benchmark rows\b/i, /\b\d+(\.\d+)?% (faster|slower|longer)\b/i, /\bsession\b/i];
  const hits: string[] = [];
  for (const file of files) {
    for (const comment of read(file).match(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g) ?? []) {
      for (const line of comment.split('\n')) if (figures.some((pattern) => pattern.test(line))) hits.push(`${file}: ${line.trim()}`);
    }
  }
  expect(hits).toEqual([]);
});
