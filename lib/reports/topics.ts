import { z } from "zod";
import { channelLabel } from "../conversations/turns.ts";
import type { Sql } from "../db/raw-sql.ts";
import { notFound } from "../errors.ts";
import { textOfSource } from "../topics/topic-sources.ts";
import { personLabels } from "./person-labels.ts";
import { addDays, localDay } from "./zone.ts";

/**
 * "Emerging" (decision 019): a topic asked about at least EMERGING_MIN times in the week, more often than the
 * week before, and at least EMERGING_RATIO times its weekly mean over the earlier weeks of the report (a topic
 * never asked before qualifies with the minimum alone).
 */
export const EMERGING_MIN = 3;
export const EMERGING_RATIO = 2;

export function isEmerging(count: number, earlier: readonly number[]): boolean {
  if (count < EMERGING_MIN || !earlier.length) return false;
  const previous = earlier[0] ?? 0;
  const mean = earlier.reduce((a, b) => a + b, 0) / earlier.length;
  return count > previous && count >= EMERGING_RATIO * mean;
}

export const topicsQuery = z.object({
  weeks: z.coerce.number().int().min(2).max(26).default(4),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TopicsQuery = z.infer<typeof topicsQuery>;

export interface TopicWeek {
  id: string;
  /** The topic's key (lemmas). */
  name: string;
  label: string;
  offered: boolean;
  kind: string;
  /** Messages in the week asking about it. */
  count: number;
  /** In the week before. */
  previousCount: number;
  emerging: boolean;
  /** Oldest week first, the week itself last. */
  weekly: number[];
}

export interface DayRange {
  /** First local day, YYYY-MM-DD. */
  from: string;
  /** Last local day, included. */
  to: string;
}

const dayCount = (r: DayRange) =>
  Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000) + 1;

export interface TopicDayCount {
  id: string;
  name: string;
  label: string;
  offered: boolean;
  kind: string;
  day: string;
  count: number;
}

/**
 * Daily counts → one row per topic: its count in `period`, in the period of the same length before, per period
 * over `weeks` periods ending with `period`, and the emerging flag. Ordered by count, then emerging first, then
 * the previous count, then the label.
 */
export function rankTopics(rows: readonly TopicDayCount[], period: DayRange, weeks: number): TopicWeek[] {
  const length = dayCount(period);
  const first = addDays(period.from, -length * (weeks - 1));
  const start = Date.parse(`${first}T00:00:00Z`);
  const byTopic = new Map<string, TopicWeek>();
  for (const r of rows) {
    let t = byTopic.get(r.id);
    if (!t) {
      t = {
        id: r.id,
        name: r.name,
        label: r.label,
        offered: r.offered,
        kind: r.kind,
        count: 0,
        previousCount: 0,
        emerging: false,
        weekly: Array(weeks).fill(0),
      };
      byTopic.set(r.id, t);
    }
    const index = Math.floor((Date.parse(`${r.day}T00:00:00Z`) - start) / 86_400_000 / length);
    if (index >= 0 && index < weeks) t.weekly[index] = (t.weekly[index] ?? 0) + Number(r.count);
  }
  const topics = [...byTopic.values()];
  for (const t of topics) {
    t.count = t.weekly[weeks - 1] ?? 0;
    t.previousCount = t.weekly[weeks - 2] ?? 0;
    t.emerging = isEmerging(t.count, t.weekly.slice(0, -1).reverse());
  }
  topics.sort(
    (a, b) =>
      b.count - a.count ||
      Number(b.emerging) - Number(a.emerging) ||
      b.previousCount - a.previousCount ||
      a.label.localeCompare(b.label),
  );
  return topics;
}

/**
 * A period's topics from the TopicCount rollup (never the messages): each with its count in the period, the
 * count in the period of the same length before it, and the emerging flag against `weeks − 1` earlier periods.
 * Ordered by count, then the emerging first, then the label; topics the owner ignored are left out. This is what
 * the Friday summary calls with a week (Monday–Sunday) and `limit` 5.
 */
export async function topTopics(
  db: Sql,
  workspaceId: string,
  period: DayRange,
  opts: { weeks?: number; limit?: number } = {},
): Promise<TopicWeek[]> {
  const weeks = opts.weeks ?? 4;
  const length = dayCount(period);
  const first = addDays(period.from, -length * (weeks - 1));
  const rows = await db.$queryRawUnsafe<TopicDayCount[]>(
    `SELECT t.id::text, t.name, t.label, t.offered, t.kind, to_char(c.day, 'YYYY-MM-DD') AS day, c.count
     FROM "Topic" t JOIN "TopicCount" c ON c."topicId" = t.id
     WHERE t."workspaceId" = $1::uuid AND NOT t.ignored AND c.day >= $2::date AND c.day <= $3::date AND c.count > 0`,
    workspaceId,
    first,
    period.to,
  );
  return rankTopics(rows, period, weeks).slice(0, opts.limit ?? rows.length);
}

/** The newest mentions of each topic in a period (event ids), at most `per` each: the messages behind a count. */
export async function topicMessageIds(
  db: Sql,
  topicIds: string[],
  period: DayRange,
  per = 50,
): Promise<Map<string, string[]>> {
  if (!topicIds.length) return new Map();
  const rows = await db.$queryRawUnsafe<{ id: string; ids: string[] | null }[]>(
    `SELECT t.id::text, m.ids FROM unnest($1::uuid[]) AS t(id)
     CROSS JOIN LATERAL (
       SELECT array_agg(s."eventId"::text ORDER BY s."occurredAt" DESC, s."eventId" DESC) AS ids FROM (
         SELECT "eventId", "occurredAt" FROM "TopicMention"
         WHERE "topicId" = t.id AND day >= $2::date AND day <= $3::date
         ORDER BY "occurredAt" DESC, "eventId" DESC LIMIT $4) s) m`,
    topicIds,
    period.from,
    period.to,
    per,
  );
  return new Map(rows.map((r) => [r.id, r.ids ?? []]));
}

export interface TopicsReport {
  weeks: number;
  /** The report's week: the 7 local days ending today. */
  from: string;
  to: string;
  timezone: string;
  topics: (Omit<TopicWeek, "id"> & { id: string; topic: string; messageIds: string[] })[];
  /** Customers' messages not counted because the counter does not read their language, in the whole report. */
  skipped: { language: string; count: number }[];
}

/** The week ending today (local) and the `weeks − 1` before it. */
export function reportWeek(timeZone: string, now = new Date()): DayRange {
  const to = localDay(now, timeZone);
  return { from: addDays(to, -6), to };
}

/** `GET /api/v1/reports/topics?weeks=` and the topics page. */
export async function topicsReport(
  db: Sql,
  ws: { id: string; timezone: string },
  query: TopicsQuery,
  now = new Date(),
): Promise<TopicsReport> {
  const week = reportWeek(ws.timezone, now);
  const [topics, skipped] = await Promise.all([
    topTopics(db, ws.id, week, { weeks: query.weeks, limit: query.limit }),
    db.$queryRawUnsafe<{ language: string; count: number }[]>(
      `SELECT language, sum(count)::int AS count FROM "TopicSkip"
       WHERE "workspaceId" = $1::uuid AND day >= $2::date AND day <= $3::date GROUP BY language ORDER BY 2 DESC, 1`,
      ws.id,
      addDays(week.from, -7 * (query.weeks - 1)),
      week.to,
    ),
  ]);
  const ids = await topicMessageIds(
    db,
    topics.filter((t) => t.count > 0).map((t) => t.id),
    week,
  );
  return {
    weeks: query.weeks,
    from: week.from,
    to: week.to,
    timezone: ws.timezone,
    topics: topics.map((t) => ({ topic: t.label, ...t, messageIds: ids.get(t.id) ?? [] })),
    skipped,
  };
}

export interface TopicMessage {
  eventId: string;
  profileId: string;
  person: string;
  occurredAt: Date;
  via: string | null;
  text: string | null;
}

/** One topic and the messages behind it in a period, newest first, their text opened for the workspace's member. */
export async function topicMessages(db: Sql, workspaceId: string, topicId: string, period: DayRange, limit = 100) {
  const [topic] = await db.$queryRawUnsafe<
    { id: string; name: string; label: string; offered: boolean; kind: string; terms: string[] | null }[]
  >(
    `SELECT id::text, name, label, offered, kind, terms FROM "Topic" WHERE "workspaceId" = $1::uuid AND id = $2::uuid`,
    workspaceId,
    topicId,
  );
  if (!topic) throw notFound("No such topic in this workspace.");
  const rows = await db.$queryRawUnsafe<
    {
      eventId: string;
      profileId: string;
      occurredAt: Date;
      source: string;
      channel: string | null;
      properties: unknown;
      bodyEnc: string | null;
    }[]
  >(
    `SELECT e.id::text AS "eventId", e."profileId"::text AS "profileId", e."occurredAt", e.source::text AS source,
       e.channel, CASE WHEN e.source = 'web' THEN e.properties END AS properties,
       (SELECT mm."bodyEnc" FROM "Message" mm WHERE mm."profileId" = e."profileId" AND mm."occurredAt" = e."occurredAt"
          AND mm."eventId" = e.id LIMIT 1) AS "bodyEnc"
     FROM (SELECT "eventId" FROM "TopicMention" WHERE "topicId" = $2::uuid AND day >= $3::date AND day <= $4::date
           ORDER BY "occurredAt" DESC, "eventId" DESC LIMIT $5) m
     JOIN "Event" e ON e.id = m."eventId" AND e."workspaceId" = $1::uuid
     ORDER BY e."occurredAt" DESC, e.id DESC`,
    workspaceId,
    topicId,
    period.from,
    period.to,
    limit,
  );
  const people = await personLabels(
    db,
    workspaceId,
    rows.map((r) => r.profileId),
  );
  const messages: TopicMessage[] = rows.map((r) => ({
    eventId: r.eventId,
    profileId: r.profileId,
    person: people.get(r.profileId)?.name ?? "Someone",
    occurredAt: r.occurredAt,
    via: r.source === "web" ? "a form" : channelLabel(r.channel ?? (r.source === "email" ? "email" : null)),
    text: safeText(r),
  }));
  return { topic: { ...topic, terms: topic.terms ?? [] }, messages };
}

function safeText(r: { source: string; properties: unknown; bodyEnc: string | null }) {
  try {
    return textOfSource(r);
  } catch {
    return null; // sealed under a retired key
  }
}
