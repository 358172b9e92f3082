/**
 * Validation and normalization of one streamed record against its dataset schema, shared by the
 * Firehose processor: the record is converted with the same converters the transform uses, so a
 * record Firehose delivers is one the transform will accept, and written back as canonical JSON
 * (dates YYYY-MM-DD, timestamps ISO-8601 UTC with microseconds, decimals and bigints as strings).
 */
import type { ColumnSpec, ColumnValue } from '../parquet/column-buffer';
import type { CompiledDataset } from '../transform/compiled-dataset';
import { Rejected } from '../transform/values';

const DAY_MS = 86_400_000;

function canonical(spec: ColumnSpec, value: ColumnValue): unknown {
  switch (spec.kind) {
    case 'date':
      return new Date((value as number) * DAY_MS).toISOString().slice(0, 10);
    case 'timestamp': {
      const micros = value as number;
      const millis = Math.floor(micros / 1000);
      const fraction = String(micros - millis * 1000).padStart(3, '0');
      return `${new Date(millis).toISOString().slice(0, -1)}${fraction}Z`;
    }
    case 'decimal': {
      const unscaled = BigInt(value as number | bigint);
      const negative = unscaled < 0n;
      const digits = (negative ? -unscaled : unscaled).toString().padStart(spec.scale! + 1, '0');
      const integer = digits.slice(0, digits.length - spec.scale!);
      const fraction = digits.slice(digits.length - spec.scale!);
      return `${negative ? '-' : ''}${integer}${spec.scale! > 0 ? `.${fraction}` : ''}`;
    }
    case 'bigint':
      return String(value);
    default:
      return value;
  }
}

export type NormalizedRecord = { readonly ok: true; readonly json: string } | { readonly ok: false; readonly reason: string };

export function normalizeRecord(text: string, dataset: CompiledDataset): NormalizedRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, reason: 'expected a JSON object' };
  const record = parsed as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const reasons: string[] = [];
  dataset.columns.forEach((column, index) => {
    const value = dataset.converters[index](record[column.name]);
    if (value instanceof Rejected) reasons.push(value.reason);
    else out[column.name] = value === null ? null : canonical(column, value);
  });
  return reasons.length > 0 ? { ok: false, reason: reasons.join('; ') } : { ok: true, json: JSON.stringify(out) };
}
