import type { Db } from "../db/client.ts";
import { notFound } from "../errors.ts";
import { csvLine } from "./csv.ts";
import { conversationsSource } from "./export-conversations.ts";
import { eventsSource } from "./export-events.ts";
import {
  CONTENT_TYPES,
  type ExportFormat,
  type ExportQuery,
  type ExportRange,
  type ExportWhat,
  exportFilename,
  exportPageSize,
  exportRange,
} from "./export-options.ts";
import { profilesSource } from "./export-profiles.ts";
import type { ExportCursor, ExportSource, SourceInput } from "./export-source.ts";

const SOURCES: Record<ExportWhat, (input: SourceInput) => ExportSource<unknown>> = {
  events: eventsSource,
  profiles: profilesSource,
  conversations: conversationsSource,
};

/** How many rows the answer will hold, as counted when it started (the progress bar's total). */
export const EXPORT_COUNT_HEADER = "X-Export-Count";

/**
 * `GET /api/v1/export` and the Settings → Data button: the workspace's events, people or conversation turns as
 * CSV, NDJSON or JSON, streamed. Values are readable, as the owner's own pages and the person export show them
 * (the owner is the data controller). The answer starts once the rows are counted; then each page is read
 * only when the client has taken the previous one, so memory stays constant whatever the size and a slow
 * client slows the reading instead of filling the server (decision 016).
 */
export async function exportWorkspace(db: Db, workspaceId: string, query: ExportQuery, now = new Date()) {
  const workspace = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { slug: true, timezone: true },
  });
  if (!workspace) throw notFound("No such workspace.");
  const range = exportRange(query, workspace.timezone);
  const source = SOURCES[query.what]({ db, workspaceId, range });
  const count = await source.count();
  const filename = exportFilename(workspace.slug, query.what, query.format, now, workspace.timezone);
  const body = exportStream(source, {
    format: query.format,
    head: { workspace: workspace.slug, what: query.what, ...isoRange(range), exportedAt: now.toISOString(), count },
    key: query.what,
    pageSize: exportPageSize(),
  });
  return new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[query.format],
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      [EXPORT_COUNT_HEADER]: String(count),
    },
  });
}

const isoRange = (r: ExportRange) => ({ from: r.from?.toISOString() ?? null, to: r.to?.toISOString() ?? null });

export interface StreamOptions {
  format: ExportFormat;
  /** What the JSON document says about itself before its rows. */
  head: Record<string, unknown>;
  /** The JSON document's key for the rows ("events"). */
  key: string;
  pageSize: number;
  /** Called after each page is read (tests watch the reading keep pace with the client). */
  onPage?: (rows: number) => void;
}

/**
 * The rows of a source as a byte stream pulled by its reader: `highWaterMark: 0` means a page is read from
 * the database only when the reader asks for more, so at most one page is held, whatever the client's speed.
 * Cancelling (the client went away) stops the reading. A failed page errors the stream, which aborts the
 * response: the client sees a broken download, never a short file that looks complete.
 */
export function exportStream<R>(source: ExportSource<R>, o: StreamOptions): ReadableStream<Uint8Array<ArrayBuffer>> {
  let after: ExportCursor | null = null;
  let started = false;
  let rows = 0;
  let cancelled = false;
  const encode = (row: R): string => {
    if (o.format === "csv") return csvLine(source.csvRow(row));
    if (o.format === "ndjson") return `${JSON.stringify(row)}\n`;
    return `${rows === 0 ? "" : ",\n"}${JSON.stringify(row)}`;
  };
  const head = () => {
    if (o.format === "csv") return csvLine(source.csvHeader);
    if (o.format === "ndjson") return "";
    const h = JSON.stringify(o.head);
    return `${h === "{}" ? "{" : `${h.slice(0, -1)},`}${JSON.stringify(o.key)}:[\n`;
  };
  const tail = () => (o.format === "json" ? "\n]}\n" : "");
  return new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      async pull(controller) {
        const parts: string[] = started ? [] : [head()];
        started = true;
        const page = await source.page(after, o.pageSize);
        if (cancelled) return;
        for (const row of page.rows) {
          parts.push(encode(row));
          rows++;
        }
        o.onPage?.(page.rows.length);
        after = page.next;
        if (!after) parts.push(tail());
        const chunk = toBytes(parts);
        if (chunk.length) controller.enqueue(chunk);
        if (!after) controller.close();
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}

/** A page's rows as ONE buffer, each row's UTF-8 written in place (no page-long string to flatten first). */
function toBytes(parts: readonly string[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const p of parts) size += Buffer.byteLength(p);
  const buf = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const p of parts) at += buf.write(p, at);
  return new Uint8Array(buf.buffer as ArrayBuffer, buf.byteOffset, buf.length);
}
