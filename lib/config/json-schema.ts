/**
 * JSON Schemas for editors, derived from the zod schemas that validate config at synth, so the two
 * can never drift apart. Cross-field rules (e.g. "a primary key column must exist") are only
 * checked at synth; the JSON Schema covers shapes, types, enumerations and patterns.
 */
import { z } from 'zod';
import { lobSchema } from './lob-schema';
import { platformSchema } from './platform-schema';

function render(schema: z.ZodType, title: string): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}

/** File name (under config/schema/) to content. */
export function configJsonSchemas(): Record<string, string> {
  return {
    'platform.schema.json': render(platformSchema, 'Lakeworks platform configuration (config/platform.yaml)'),
    'lob.schema.json': render(lobSchema, 'Lakeworks line-of-business configuration (config/lobs/<lob>.yaml)'),
  };
}
