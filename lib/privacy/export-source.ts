import type { Db } from "../db/client.ts";
import { type Sql, sqlTransaction, type TransactionSettings } from "../db/raw-sql.ts";
import type { ExportRange } from "./export-options.ts";

/** Keyset position: the last row's time and id (every source orders by them). */
export interface ExportCursor {
  at: Date;
  id: string;
}

/**
 * One kind of row of the workspace export: counted up front (the progress bar's total), then read a page at a
 * time, each page one short statement on its own after the position of the last — no transaction, no server-side
 * cursor, no connection held between pages (decision 016).
 */
export interface ExportSource<R> {
  count(): Promise<number>;
  page(after: ExportCursor | null, limit: number): Promise<{ rows: R[]; next: ExportCursor | null }>;
  csvHeader: readonly string[];
  csvRow(row: R): readonly unknown[];
}

export interface SourceInput {
  db: Db;
  workspaceId: string;
  range: ExportRange;
}

/**
 * Planner settings for the export's pages and the purge's batches: walk the index in its order and stop at the
 * LIMIT. Right after a large load the table's statistics are stale, and the planner then took a bitmap scan of
 * everything after the position and sorted it for each page (250 ms a page at 1,000,000 events, every page
 * reading the rest of the table again) instead of reading 1,000 index entries (1 ms).
 */
export const INDEX_ORDER: TransactionSettings = { enable_seqscan: "off", enable_bitmapscan: "off" };

/** One page's statements in a short read transaction planned with INDEX_ORDER. */
export const inPage = <T>(db: Db, fn: (sql: Sql) => Promise<T>) => sqlTransaction(db, fn, INDEX_ORDER);

/**
 * SQL conditions for a time column within the range and after a keyset position, with their parameters
 * appended to `params`. Only the conditions that apply are written, so each page's plan is a plain index range.
 */
export function timeConditions(
  column: string,
  idColumn: string,
  range: ExportRange,
  after: ExportCursor | null,
  params: unknown[],
) {
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (range.from) where.push(`${column} >= ${p(range.from)}::timestamptz`);
  if (range.to) where.push(`${column} < ${p(range.to)}::timestamptz`);
  if (after) {
    const at = p(after.at);
    where.push(
      `${column} >= ${at}::timestamptz AND (${column} > ${at}::timestamptz OR ${idColumn} > ${p(after.id)}::uuid)`,
    );
  }
  return where;
}
