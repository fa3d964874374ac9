// Calendar days in a workspace's time zone, from the platform's own zone data (Intl): reports count local
// days, whatever the offset (India's +5:30, Nepal's +5:45) and across daylight-saving changes.

const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string) {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    if (formats.size > 200) formats.clear();
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading in `timeZone` at `at`, as if it were UTC (ms). */
function wallClock(at: number, timeZone: string) {
  const p: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(at)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** The local calendar day of an instant, `YYYY-MM-DD`. */
export function localDay(at: Date | number, timeZone: string): string {
  return new Date(wallClock(typeof at === "number" ? at : at.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The instant a local day starts (its midnight, or its first moment when the clocks skip midnight). Found by
 * correcting the guess by the zone's offset twice, which settles across a daylight-saving change.
 */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const target = Date.parse(`${day}T00:00:00Z`);
  let at = target;
  for (let i = 0; i < 3; i++) at = target - (wallClock(at, timeZone) - at);
  // A midnight that does not exist (clocks jump from 23:59 to 01:00): the day starts at the jump.
  if (localDay(at, timeZone) !== day) at += 3600_000;
  return new Date(at);
}

/** `YYYY-MM-DD` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Every local day from the one holding `from` to the one holding the last instant before `to`. */
export function daysBetween(from: Date, to: Date, timeZone: string): string[] {
  const last = localDay(Math.max(from.getTime(), to.getTime() - 1), timeZone);
  const out: string[] = [];
  for (let d = localDay(from, timeZone); d <= last && out.length < 3700; d = addDays(d, 1)) out.push(d);
  return out;
}

/** True when the runtime knows this IANA zone. */
export function isTimeZone(timeZone: string) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a local wall-clock time happens (`day` at `hour`:00), found as startOfLocalDay finds midnight.
 * A time the clocks skip (spring forward) is the moment after the jump; a time that happens twice (fall back),
 * the first.
 */
export function localTimeOn(day: string, hour: number, timeZone: string): Date {
  const target = Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00Z`);
  let at = target;
  for (let i = 0; i < 3; i++) at = target - (wallClock(at, timeZone) - at);
  // Fall back: the same reading an hour earlier is the first time it happened.
  if (wallClock(at - 3600_000, timeZone) === target) at -= 3600_000;
  // Spring forward: the reading does not exist; take the first moment after the gap.
  while (wallClock(at, timeZone) < target) at += 15 * 60_000;
  return new Date(at);
}
