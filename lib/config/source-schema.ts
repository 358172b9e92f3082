/**
 * Schema of a dataset's `source:`: where a batch dataset's raw objects come from when Lakeworks
 * fetches them itself on a schedule, rather than someone uploading them. Exactly one kind.
 */
import { z } from 'zod';
import { apiSourceSchema } from './api-source-schema';
import { databaseSourceSchema } from './database-source-schema';

export const SOURCE_KINDS = ['api', 'database'] as const;

export const sourceSchema = z.strictObject({
  api: apiSourceSchema.optional().meta({ description: 'An HTTP API pulled on a schedule by a Lambda, each response written as received (docs/api-sources.md).' }),
  database: databaseSourceSchema.optional().meta({ description: 'A table or query read over JDBC by a scheduled Glue job (docs/database-sources.md).' }),
}).superRefine((source, ctx) => {
  const declared = SOURCE_KINDS.filter((kind) => source[kind] !== undefined);
  if (declared.length !== 1) {
    ctx.addIssue({ code: 'custom', path: [], message: `expected exactly one of ${SOURCE_KINDS.join(', ')}; got ${declared.length === 0 ? 'none' : declared.join(' and ')}` });
  }
});
export type SourceConfig = z.infer<typeof sourceSchema>;
