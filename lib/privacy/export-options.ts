import { z } from "zod";
import { badRequest } from "../errors.ts";
import { rangeQuery } from "../reports/report-range.ts";
import { addDays, localDay, startOfLocalDay } from "../reports/zone.ts";

export const EXPORT_WHATS = ["events", "profiles", "conversations"] as const;
export const EXPORT_FORMATS = ["csv", "ndjson", "json"] as const;
export type ExportWhat = (typeof EXPORT_WHATS)[number];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * `GET /api/v1/export?what=events|profiles|conversations&format=csv|ndjson|json&from=&to=` (API.md). `from` and
 * `to` as the reports read them: an ISO time with its offset, epoch milliseconds, or a date, which is a local
 * day of the workspace (`from=2026-11-01&to=2026-11-30` is November, both days included). Either may be left out.
 */
export const exportQuery = rangeQuery.extend({
  what: z.enum(EXPORT_WHATS, { error: "must be one of events, profiles, conversations" }),
  format: z.enum(EXPORT_FORMATS, { error: "must be one of csv, ndjson, json" }).default("json"),
});
export type ExportQuery = z.infer<typeof exportQuery>;

export interface ExportRange {
  /** Inclusive start, or null for everything before `to`. */
  from: Date | null;
  /** Exclusive end, or null for everything since `from`. */
  to: Date | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH_MS = /^\d{1,15}$/;

function instant(v: string, timeZone: string, end: boolean): Date {
  if (DAY.test(v)) return startOfLocalDay(end ? addDays(v, 1) : v, timeZone);
  return new Date(EPOCH_MS.test(v) ? Number(v) : Date.parse(v));
}

/** The export's time bounds in the workspace's zone; a range that ends before it starts is a 400 naming `from`. */
export function exportRange(query: Pick<ExportQuery, "from" | "to">, timeZone: string): ExportRange {
  const range = {
    from: query.from ? instant(query.from, timeZone, false) : null,
    to: query.to ? instant(query.to, timeZone, true) : null,
  };
  const bad = (path: string, message: string) => badRequest(`${path}: ${message}`, [{ path, message }]);
  for (const path of ["from", "to"] as const) {
    const d = range[path];
    if (d && (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999))
      throw bad(path, "is not a usable time");
  }
  if (range.from && range.to && range.from >= range.to) throw bad("from", "must be before `to`");
  return range;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** `onethread-acme-movers-events-2026-12-02.csv`: the workspace, what, the day of the export in its zone. */
export function exportFilename(slug: string, what: ExportWhat, format: ExportFormat, now: Date, timeZone: string) {
  const safeSlug = slug.replace(/[^a-z0-9-]/gi, "").slice(0, 60) || "workspace";
  return `onethread-${safeSlug}-${what}-${localDay(now, timeZone)}.${format}`;
}

/** Rows per keyset page: one short statement each. The embedded database runs one query at a time for every
 * connection, so its pages are smaller and other requests get their turn between them (decision 016). */
export const exportPageSize = () => (process.env.ONETHREAD_EMBEDDED === "1" ? 250 : 1000);
