/**
 * The journey's layout, pure so the page and the tests share it: events grouped by day in the workspace's
 * zone ("Day 1 · Mon Nov 2", counted from the person's first day), quick runs of browsing collapsed into one
 * burst ("Viewed 6 pages in 4 min"), merges and splits placed where they happened. The result is one flat
 * list of rows, which the page virtualises.
 */

export interface JourneyEventLike {
  id: string;
  occurredAt: string;
  source: string;
  type: string;
  /** The rung this event took the person to, when it did (ProfileRung). */
  reached?: number | null;
  /** A landing from a campaign or another site (never folded into a burst). */
  landing?: boolean;
}

export interface JourneyRecordLike {
  id: string;
  at: string;
}

export type JourneyRow<E, R> =
  | { kind: "day"; key: string; label: string; day: number; date: string }
  | { kind: "event"; key: string; event: E }
  | { kind: "burst"; key: string; label: string; events: E[]; expanded: boolean }
  | { kind: "record"; key: string; record: R };

/** Browsing that folds into a burst: page views, scrolls, clicks and engaged time on the site. */
const MINOR = new Set(["page_view", "scroll", "click", "engagement"]);
export const BURST_GAP_MS = 10 * 60_000;
export const BURST_MIN = 3;

const dayKeyFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a zone, as YYYY-MM-DD. */
export function dayKey(at: string | Date, timeZone: string): string {
  let f = dayKeyFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayKeyFormats.set(timeZone, f);
  }
  return f.format(typeof at === "string" ? new Date(at) : at);
}

const dayMs = (key: string) => Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10)));

/** Day 1 is the first day; the day after is Day 2, whatever the hour. */
export const dayNumber = (key: string, firstKey: string) => Math.round((dayMs(key) - dayMs(firstKey)) / 86_400_000) + 1;

/** "Day 1 · Mon Nov 2" (with the year when the journey spans more than one). */
export function dayLabel(key: string, firstKey: string) {
  const date = new Date(dayMs(key));
  const opts: Intl.DateTimeFormatOptions = { timeZone: "UTC", weekday: "short", month: "short", day: "numeric" };
  if (key.slice(0, 4) !== firstKey.slice(0, 4)) opts.year = "numeric";
  const [weekday, rest] = [
    new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short" }).format(date),
    new Intl.DateTimeFormat("en-US", { ...opts, weekday: undefined }).format(date),
  ];
  return `Day ${dayNumber(key, firstKey).toLocaleString("en-US")} · ${weekday} ${rest}`;
}

/** "in 4 min", "in under a minute", "in 1 h 20 min". */
export function spanWords(ms: number) {
  if (ms < 60_000) return "in under a minute";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `in ${h} h${m ? ` ${m} min` : ""}`;
}

/** What a burst says: "Viewed 6 pages in 4 min", or "12 site signals in 3 min" when no page was opened. */
export function burstLabel(events: JourneyEventLike[]) {
  const pages = events.filter((e) => e.type === "page_view").length;
  const first = events[0];
  const last = events.at(-1);
  const span = first && last ? spanWords(Date.parse(last.occurredAt) - Date.parse(first.occurredAt)) : "";
  if (pages) return `Viewed ${pages} ${pages === 1 ? "page" : "pages"} ${span}`;
  return `${events.length} site signals ${span}`;
}

const isMinor = (e: JourneyEventLike) => e.source === "web" && MINOR.has(e.type) && !e.reached && !e.landing;

/**
 * Rows for the journey: a day header before each day's first row, bursts of ≥ 3 minor web events each within
 * 10 minutes of the one before (expanded ones followed by their events), records (merges, splits) in time
 * order among the events. Events come oldest first; records are placed only up to the last event loaded,
 * unless `complete` (no page left to load) places them all.
 */
export function groupJourney<E extends JourneyEventLike, R extends JourneyRecordLike>(
  events: readonly E[],
  opts: {
    timeZone: string;
    firstDay: string;
    records?: readonly R[];
    expanded?: ReadonlySet<string>;
    complete?: boolean;
  },
): JourneyRow<E, R>[] {
  const rows: JourneyRow<E, R>[] = [];
  const lastAt = events.at(-1)?.occurredAt;
  const records = [...(opts.records ?? [])]
    .filter((r) => opts.complete || (lastAt !== undefined && r.at <= lastAt))
    .sort((a, b) => a.at.localeCompare(b.at));
  type Item = { at: string; event?: E; record?: R };
  const items: Item[] = [];
  let ri = 0;
  for (const e of events) {
    while (ri < records.length && (records[ri] as R).at < e.occurredAt) {
      const r = records[ri++] as R;
      items.push({ at: r.at, record: r });
    }
    items.push({ at: e.occurredAt, event: e });
  }
  for (; ri < records.length; ri++) {
    const r = records[ri] as R;
    items.push({ at: r.at, record: r });
  }

  let day = "";
  for (let i = 0; i < items.length; ) {
    const item = items[i] as Item;
    const key = dayKey(item.at, opts.timeZone);
    if (key !== day) {
      day = key;
      rows.push({
        kind: "day",
        key: `day-${key}`,
        label: dayLabel(key, opts.firstDay),
        day: dayNumber(key, opts.firstDay),
        date: key,
      });
    }
    if (item.record) {
      rows.push({ kind: "record", key: `record-${item.record.id}`, record: item.record });
      i++;
      continue;
    }
    const e = item.event as E;
    // The longest run of minor web events from here, same day, each close to the one before.
    let j = i;
    if (isMinor(e)) {
      while (j + 1 < items.length) {
        const next = items[j + 1] as Item;
        const prev = items[j] as Item;
        if (!next.event || !isMinor(next.event)) break;
        if (dayKey(next.at, opts.timeZone) !== day) break;
        if (Date.parse(next.at) - Date.parse(prev.at) > BURST_GAP_MS) break;
        j++;
      }
    }
    if (j - i + 1 >= BURST_MIN) {
      const run = items.slice(i, j + 1).map((x) => x.event as E);
      const burstKey = `burst-${e.id}`;
      const expanded = opts.expanded?.has(burstKey) ?? false;
      rows.push({ kind: "burst", key: burstKey, label: burstLabel(run), events: run, expanded });
      if (expanded) for (const ev of run) rows.push({ kind: "event", key: `event-${ev.id}`, event: ev });
      i = j + 1;
    } else {
      rows.push({ kind: "event", key: `event-${e.id}`, event: e });
      i++;
    }
  }
  return rows;
}
