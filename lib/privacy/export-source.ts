import type { Sql } from "../db/raw-sql.ts";
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
  db: Sql;
  workspaceId: string;
  range: ExportRange;
}

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
