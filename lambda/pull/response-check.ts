/**
 * Whether a 2xx response is data the dataset expects. What is not (an HTML error page, an API's
 * "Note" or "Error Message" body sent with 200, truncated or unparseable JSON, an empty body) is
 * kept under errors/ with the reason this returns, never written as data.
 */
import type { DatasetFormat } from '../../contract/dataset';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function errorFieldReason(document: unknown, errorFields: readonly string[]): string | undefined {
  if (!isObject(document)) return undefined;
  const field = errorFields.find((name) => name in document);
  if (field === undefined) return undefined;
  const text = typeof document[field] === 'string' ? document[field] : JSON.stringify(document[field]);
  return `the response's ${JSON.stringify(field)} field reports an error: ${text.slice(0, 500)}`;
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The reason `body` is not data of `format`, or undefined when it is. */
export function responseProblem(body: string, contentType: string | null, format: DatasetFormat, errorFields: readonly string[]): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return 'the response body is empty';
  if (/text\/html/i.test(contentType ?? '') || /^<(!doctype|html|\?xml|head|body)/i.test(trimmed)) return `an HTML or XML page (content type ${contentType ?? 'none'}), not data`;
  if (format === 'csv') {
    // A CSV API reports errors as JSON with status 200 (Alpha Vantage's datatype=csv does).
    if (trimmed.startsWith('{')) {
      const parsed = parseJson(trimmed);
      return 'value' in parsed ? errorFieldReason(parsed.value, errorFields) ?? 'a JSON document, not CSV' : 'a JSON-like body, not CSV';
    }
    return undefined;
  }
  if (format === 'jsonl') {
    const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
    for (const [index, line] of lines.entries()) {
      const parsed = parseJson(line);
      if ('error' in parsed) return `line ${index + 1} is not valid JSON (a truncated response?): ${parsed.error}`;
      const reason = errorFieldReason(parsed.value, errorFields);
      if (reason) return reason;
    }
    return undefined;
  }
  const parsed = parseJson(trimmed);
  if ('error' in parsed) return `not valid JSON (a truncated response?): ${parsed.error}`;
  return errorFieldReason(parsed.value, errorFields);
}

/** The value at `path` in a JSON body, or undefined. */
export function valueAt(document: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), document);
}
