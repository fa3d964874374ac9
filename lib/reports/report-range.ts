import { z } from "zod";
import { badRequest } from "../errors.ts";
import { addDays, localDay, startOfLocalDay } from "./zone.ts";

/** The presets of the owner's pages: today and the days before it, counted from local midnight. */
export const PRESETS = ["7d", "30d", "90d", "365d"] as const;
export type Preset = (typeof PRESETS)[number];
export const PRESET_DAYS: Record<Preset, number> = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 };
export const DEFAULT_PRESET: Preset = "30d";

export interface ReportRange {
  /** Inclusive start. */
  from: Date;
  /** Exclusive end. */
  to: Date;
  timezone: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH_MS = /^\d{1,15}$/;

/** A calendar day that exists (`2026-02-30` does not, although Date.parse reads it as March 2). */
const realDay = (v: string) => {
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
};

/**
 * `from` and `to` of the report endpoints (API.md conventions: an ISO string or epoch milliseconds). A date
 * without a time is a local day of the workspace: `from=2026-11-01&to=2026-11-30` is November, both ends
 * included. Times are instants; `to` is then exclusive.
 */
const bound = z
  .string()
  .max(40)
  .refine((v) => (DAY.test(v) ? realDay(v) : EPOCH_MS.test(v) || !Number.isNaN(Date.parse(v))), {
    message: "must be an ISO date or time, or epoch milliseconds",
  })
  .refine((v) => DAY.test(v) || EPOCH_MS.test(v) || /[zZ]|[+-]\d{2}:?\d{2}$/.test(v), {
    message: "a time needs its offset (Z or ±hh:mm)",
  });

export const rangeQuery = z.object({ from: bound.optional(), to: bound.optional() });
export type RangeQuery = z.infer<typeof rangeQuery>;

function instant(v: string, timeZone: string, end: boolean): Date {
  if (DAY.test(v)) return startOfLocalDay(end ? addDays(v, 1) : v, timeZone);
  return new Date(EPOCH_MS.test(v) ? Number(v) : Date.parse(v));
}

/** The start of the local day `days - 1` days before today's: "the last 30 days" includes today. */
export function presetRange(preset: Preset, timeZone: string, now = new Date()): ReportRange {
  const from = startOfLocalDay(addDays(localDay(now, timeZone), 1 - PRESET_DAYS[preset]), timeZone);
  return { from, to: now, timezone: timeZone };
}

/**
 * The range a report covers: the given bounds, else the last 30 days (local midnight 29 days ago until now).
 * A range that ends before it starts is a 400 naming `from`.
 */
export function resolveRange(query: RangeQuery, timeZone: string, now = new Date()): ReportRange {
  let range = presetRange(DEFAULT_PRESET, timeZone, now);
  if (query.from || query.to) {
    const to = query.to ? instant(query.to, timeZone, true) : now;
    const from = query.from ? instant(query.from, timeZone, false) : new Date(to.getTime() - 30 * 86_400_000);
    range = { from, to, timezone: timeZone };
  }
  const bad = (path: string, message: string) => badRequest(`${path}: ${message}`, [{ path, message }]);
  for (const [path, d] of [
    ["from", range.from],
    ["to", range.to],
  ] as const) {
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999)
      throw bad(path, "is not a usable time");
  }
  if (range.from >= range.to) throw bad("from", "must be before `to`");
  return range;
}

/**
 * A page's range from its URL: `?range=7d|30d|90d|365d`, or `?from=YYYY-MM-DD&to=YYYY-MM-DD` (local days, both
 * included); anything else is the last 30 days. With the first and last local day it covers, for the picker.
 */
export function pageRange(
  sp: { range?: string; from?: string; to?: string },
  timeZone: string,
  now = new Date(),
): ReportRange & { preset: Preset | null; fromDay: string; toDay: string } {
  const days = (r: ReportRange) => ({
    fromDay: localDay(r.from, timeZone),
    toDay: localDay(r.to.getTime() - 1, timeZone),
  });
  const preset = PRESETS.find((p) => p === sp.range);
  if (
    !preset &&
    sp.from &&
    sp.to &&
    DAY.test(sp.from) &&
    DAY.test(sp.to) &&
    realDay(sp.from) &&
    realDay(sp.to) &&
    sp.from <= sp.to
  ) {
    try {
      const r = resolveRange({ from: sp.from, to: sp.to }, timeZone, now);
      return { ...r, preset: null, ...days(r) };
    } catch {
      // An edited URL falls back to the default below rather than an error page.
    }
  }
  const r = presetRange(preset ?? DEFAULT_PRESET, timeZone, now);
  return { ...r, preset: preset ?? DEFAULT_PRESET, ...days(r) };
}
