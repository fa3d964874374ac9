/**
 * The 5-field cron expressions of the job registry and vercel.json (minute hour day-of-month month
 * day-of-week, in UTC): `*`, numbers, ranges `a-b`, lists `a,b` and steps `*\/n` or `a-b/n`. Day-of-month and
 * day-of-week follow cron's rule: when both are restricted, either one matching is enough. No names, no seconds.
 */
export interface CronSchedule {
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  day: ReadonlySet<number>;
  month: ReadonlySet<number>;
  weekday: ReadonlySet<number>;
  anyDay: boolean;
  anyWeekday: boolean;
}

const FIELDS = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
] as const;

function field(text: string, name: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${name}: "${part}" is not a number, range, list or step`);
    const step = m[4] ? Number(m[4]) : 1;
    const from = m[1] === "*" ? min : Number(m[2]);
    const to = m[1] === "*" ? max : m[3] ? Number(m[3]) : m[4] ? max : from;
    if (from < min || to > max || from > to || step < 1)
      throw new Error(`cron ${name}: "${part}" is out of ${min}-${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): CronSchedule {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expr}": needs 5 fields (minute hour day month weekday)`);
  const [minute, hour, day, month, weekday] = FIELDS.map(([name, min, max], i) =>
    field(parts[i] ?? "", name, min, max),
  );
  const days = weekday as Set<number>;
  if (days.has(7)) days.add(0);
  return {
    minute: minute as Set<number>,
    hour: hour as Set<number>,
    day: day as Set<number>,
    month: month as Set<number>,
    weekday: days,
    anyDay: parts[2] === "*",
    anyWeekday: parts[4] === "*",
  };
}

function dayMatches(s: CronSchedule, t: Date) {
  const byDay = s.day.has(t.getUTCDate());
  const byWeekday = s.weekday.has(t.getUTCDay());
  if (s.anyDay && s.anyWeekday) return true;
  if (s.anyDay) return byWeekday;
  if (s.anyWeekday) return byDay;
  return byDay || byWeekday;
}

/** Whether the schedule fires in the minute holding `t` (UTC). */
export function cronMatches(s: CronSchedule, t: Date) {
  return (
    s.month.has(t.getUTCMonth() + 1) &&
    dayMatches(s, t) &&
    s.hour.has(t.getUTCHours()) &&
    s.minute.has(t.getUTCMinutes())
  );
}

const MINUTE = 60_000;

/** The start of the latest minute at or before `at` when the schedule fired; null if none within a year. */
export function previousCronTime(s: CronSchedule, at: Date): Date | null {
  let t = Math.floor(at.getTime() / MINUTE) * MINUTE;
  const stop = t - 366 * 86_400_000;
  while (t >= stop) {
    const d = new Date(t);
    if (!s.month.has(d.getUTCMonth() + 1)) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - MINUTE;
    else if (!dayMatches(s, d)) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - MINUTE;
    else if (!s.hour.has(d.getUTCHours()))
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()) - MINUTE;
    else if (!s.minute.has(d.getUTCMinutes())) t -= MINUTE;
    else return d;
  }
  return null;
}

/** The start of the first minute after `at` when the schedule fires; null if none within a year. */
export function nextCronTime(s: CronSchedule, at: Date): Date | null {
  let t = (Math.floor(at.getTime() / MINUTE) + 1) * MINUTE;
  const stop = t + 366 * 86_400_000;
  while (t <= stop) {
    const d = new Date(t);
    if (!s.month.has(d.getUTCMonth() + 1)) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    else if (!dayMatches(s, d)) t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    else if (!s.hour.has(d.getUTCHours()))
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
    else if (!s.minute.has(d.getUTCMinutes())) t += MINUTE;
    else return d;
  }
  return null;
}
