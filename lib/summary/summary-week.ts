import { badRequest } from "../errors.ts";
import { addDays, localDay, localTimeOn } from "../reports/zone.ts";

/** The Friday summary goes out at this local hour (API.md "Cron and jobs": Friday 17:00 in the workspace's zone). */
export const SEND_HOUR = 17;

const WEEK = /^(\d{4})-W(\d{2})$/;

/** The Monday (`YYYY-MM-DD`) of ISO week `week` of ISO year `year`: week 1 holds January 4th. */
function mondayOf(year: number, week: number): string {
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday1 + (week - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** The ISO week (`2026-W49`) a calendar day belongs to. */
export function isoWeekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(t + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.parse(mondayOf(year, 1))) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** A real ISO week written `YYYY-Www` (`2026-W53` exists, `2025-W53` does not), else null. */
export function parseWeek(text: string): { year: number; week: number; friday: string } | null {
  const m = WEEK.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1971 || year > 9998 || week < 1 || week > 53) return null;
  const friday = addDays(mondayOf(year, week), 4);
  return isoWeekOf(friday) === text ? { year, week, friday } : null;
}

export interface SummaryWeek {
  week: string;
  timezone: string;
  /** The previous Friday 17:00, local: inclusive. */
  from: Date;
  /** This week's Friday 17:00, local: exclusive. The moment the summary goes out. */
  to: Date;
  /** The same span a week earlier, for "the change against last week". */
  previous: { from: Date; to: Date };
}

/**
 * The span a week's summary covers: from one Friday 17:00 to the next, in the workspace's zone, so every moment
 * belongs to exactly one summary and the mail that goes out at 17:00 covers the seven days just ended. Across a
 * daylight-saving change the span is 167 or 169 hours: it is local time that repeats.
 */
export function summaryWeek(week: string, timezone: string): SummaryWeek {
  const parsed = parseWeek(week);
  if (!parsed)
    throw badRequest("week: must be an ISO week such as 2026-W49", [
      { path: "week", message: "must be an ISO week written YYYY-Www that exists" },
    ]);
  const at = (weeksBack: number) => localTimeOn(addDays(parsed.friday, -7 * weeksBack), SEND_HOUR, timezone);
  return { week, timezone, from: at(1), to: at(0), previous: { from: at(2), to: at(1) } };
}

/** The latest week whose summary time has passed at `now` (the one a preview shows by default). */
export function latestWeek(now: Date, timezone: string): string {
  const today = localDay(now, timezone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 2) % 7; // days since Friday
  let friday = addDays(today, -weekday);
  if (localTimeOn(friday, SEND_HOUR, timezone) > now) friday = addDays(friday, -7);
  return isoWeekOf(friday);
}

/** The week before `week`, and the one after. */
export function shiftWeek(week: string, by: number): string {
  const parsed = parseWeek(week);
  if (!parsed) throw new Error(`Not an ISO week: ${week}`);
  return isoWeekOf(addDays(parsed.friday, 7 * by));
}

const weekdayHour = new Map<string, Intl.DateTimeFormat>();

/**
 * The ISO week whose summary is due at `now` in `timezone` — it is Friday there and 17:00 or later — else null.
 * A zone the platform does not know is never due (and logged nowhere: workspace settings refuse such zones).
 */
export function dueWeek(now: Date, timezone: string): string | null {
  let f = weekdayHour.get(timezone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: timezone, weekday: "short", hour: "2-digit", hourCycle: "h23" });
    } catch {
      return null;
    }
    if (weekdayHour.size > 500) weekdayHour.clear();
    weekdayHour.set(timezone, f);
  }
  const parts = f.formatToParts(now);
  const weekday = parts.find((p) => p.type === "weekday")?.value;
  const hour = Number(parts.find((p) => p.type === "hour")?.value);
  if (weekday !== "Fri" || !(hour >= SEND_HOUR)) return null;
  return isoWeekOf(localDay(now, timezone));
}
