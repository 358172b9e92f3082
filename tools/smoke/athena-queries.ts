/**
 * The deployed named queries of a workgroup, and running one of them: a query passes when it
 * succeeds and returns at least one row. Bytes scanned are reported because they are what a
 * query costs.
 */
import {
  type AthenaClient, BatchGetNamedQueryCommand, GetQueryExecutionCommand, GetQueryResultsCommand, ListNamedQueriesCommand,
  type NamedQuery, StartQueryExecutionCommand, StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { type Timing, formatDuration, poll, retryThrottled } from './polling';

/** Every named query saved in the workgroup, sorted by name. */
export async function namedQueriesOf(athena: AthenaClient, workgroup: string, timing: Timing): Promise<NamedQuery[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await retryThrottled(() => athena.send(new ListNamedQueriesCommand({ WorkGroup: workgroup, NextToken: token })), { timing });
    ids.push(...(page.NamedQueryIds ?? []));
    token = page.NextToken;
  } while (token);
  const queries: NamedQuery[] = [];
  // BatchGetNamedQuery takes at most 50 ids.
  for (let start = 0; start < ids.length; start += 50) {
    const batch = await retryThrottled(() => athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids.slice(start, start + 50) })), { timing });
    const unprocessed = batch.UnprocessedNamedQueryIds ?? [];
    if (unprocessed.length > 0) {
      throw new Error(`could not read named queries ${unprocessed.map((u) => `${u.NamedQueryId} (${u.ErrorCode}: ${u.ErrorMessage})`).join(', ')}`);
    }
    queries.push(...(batch.NamedQueries ?? []));
  }
  return queries.sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
}

export interface QueryRunOptions {
  readonly athena: AthenaClient;
  readonly workgroup: string;
  readonly timing: Timing;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly progress?: (line: string) => void;
}

export interface QueryRunResult {
  readonly queryExecutionId: string;
  /** Data rows in the first page of results (header excluded). */
  readonly rows: number;
  /** More rows exist than were fetched. */
  readonly more: boolean;
  readonly bytesScanned: number;
  /** Where Athena wrote the result, for cleanup. */
  readonly outputLocation?: string;
  readonly elapsedMs: number;
}

const RESULT_ROWS = 1_000;

export async function runNamedQuery(query: NamedQuery, options: QueryRunOptions): Promise<QueryRunResult> {
  const { athena, timing } = options;
  const started = timing.now();
  const start = await retryThrottled(() => athena.send(new StartQueryExecutionCommand({
    QueryString: query.QueryString,
    QueryExecutionContext: query.Database ? { Database: query.Database } : undefined,
    WorkGroup: options.workgroup,
  })), { timing });
  const queryExecutionId = start.QueryExecutionId!;
  let state = 'QUEUED';
  let finished;
  try {
    finished = await poll({
      what: `query ${query.Name} (${queryExecutionId})`,
      timing,
      timeoutMs: options.timeoutMs,
      intervalMs: options.intervalMs ?? 1_000,
      check: async () => {
        const { QueryExecution: execution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
        state = execution?.Status?.State ?? 'UNKNOWN';
        if (state === 'QUEUED' || state === 'RUNNING') return undefined;
        if (state === 'SUCCEEDED') return execution!;
        const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? 'no reason given';
        throw new Error(`query ${query.Name} ${state}: ${reason} (${queryExecutionId})`);
      },
      onWait: (elapsed) => options.progress?.(`query ${query.Name}: ${state} after ${formatDuration(elapsed)}`),
      describeState: () => `still ${state}, so the smoke run asks Athena to stop it`,
    });
  } catch (error) {
    // A query we gave up on keeps scanning (and costing) unless stopped.
    if (state === 'QUEUED' || state === 'RUNNING') {
      try {
        await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
      } catch {
        // The timeout is the failure to report; a failed stop only means the query runs to its own end.
      }
    }
    throw error;
  }
  const results = await retryThrottled(() => athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, MaxResults: RESULT_ROWS })), { timing });
  // The first row of a SELECT's results is the column header.
  const rows = Math.max(0, (results.ResultSet?.Rows?.length ?? 0) - 1);
  return {
    queryExecutionId,
    rows,
    more: Boolean(results.NextToken),
    bytesScanned: finished.Statistics?.DataScannedInBytes ?? 0,
    outputLocation: finished.ResultConfiguration?.OutputLocation,
    elapsedMs: timing.now() - started,
  };
}

/** 0 B, 812 B, 3.4 KB, 1.2 MB, 5.0 GB (powers of 1,024, as the Athena console shows them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
