import type { Db } from "../db/client.ts";
import { type Sql, sqlTransaction } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { analyzeText, type CompiledVocabulary, compileVocabulary } from "./analyze-text.ts";
import { ensureStarterTopics } from "./starter-topics.ts";
import { textOfSource, topicSourceSql } from "./topic-sources.ts";

export const TOPICS_JOB = "topics";
const WATERMARK = "global";
const ZERO = "00000000-0000-0000-0000-000000000000";

export interface CountOptions {
  /** Source events per batch (one transaction): default 500. */
  batchSize?: number;
  /** Stop starting batches after this long (a cron invocation's budget): default 45 s. */
  budgetMs?: number;
  /**
   * Events younger than this (by their uuidv7 id) wait for the next run: an ingest transaction that made its
   * ids earlier but commits later is then still read. Default 2 minutes (ONETHREAD_TOPICS_SETTLE_MS).
   */
  settleMs?: number;
  heartbeat?: () => Promise<void>;
}

export interface CountResult {
  /** Source events read. */
  read: number;
  /** Of those, analysed (English, with text). */
  analysed: number;
  /** Skipped for their language. */
  skipped: number;
  /** Messages counted for a topic (one per topic and message). */
  mentions: number;
  /** Topics found in questions that no topic covered yet. */
  newTopics: number;
  batches: number;
  /** More is waiting (the budget ran out). */
  more: boolean;
  watermark: string;
}

/**
 * How long an event waits before it is counted: `settleMs`, else ONETHREAD_TOPICS_SETTLE_MS, else 2 minutes.
 * Tests and demos with nothing ingesting beside them may set 0 to count at once.
 */
function settleMs(opts: CountOptions) {
  const env = Number(process.env.ONETHREAD_TOPICS_SETTLE_MS);
  return opts.settleMs ?? (process.env.ONETHREAD_TOPICS_SETTLE_MS && Number.isFinite(env) && env >= 0 ? env : 120_000);
}

/** The smallest uuidv7 of a millisecond: ids below it were made before `ms`. */
export function uuidAt(ms: number): string {
  const h = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7000-8000-000000000000`;
}

interface SourceRow {
  id: string;
  workspaceId: string;
  source: string;
  type: string;
  occurredAt: Date;
  day: string;
  properties: unknown;
  bodyEnc: string | null;
}

const BATCH_SQL = `
SELECT e.id::text, e."workspaceId"::text AS "workspaceId", e.source::text AS source, e.type, e."occurredAt",
  to_char((e."occurredAt" AT TIME ZONE w.timezone)::date, 'YYYY-MM-DD') AS day,
  CASE WHEN e.source = 'web' THEN e.properties END AS properties,
  (SELECT m."bodyEnc" FROM "Message" m
    WHERE m."profileId" = e."profileId" AND m."occurredAt" = e."occurredAt" AND m."eventId" = e.id LIMIT 1) AS "bodyEnc"
FROM "Event" e JOIN "Workspace" w ON w.id = e."workspaceId"
WHERE ${topicSourceSql("e")} AND e.id > $1::uuid AND e.id < $2::uuid AND e."profileId" IS NOT NULL
ORDER BY e.id LIMIT $3`;

interface WorkspaceTopics {
  vocab: CompiledVocabulary;
  /** name → id, ignored topics included (they match, so they are not found again, but count for nothing). */
  ids: Map<string, string>;
  ignored: Set<string>;
}

async function loadWorkspaceTopics(sql: Sql, workspaceId: string): Promise<WorkspaceTopics> {
  const read = () =>
    sql.$queryRawUnsafe<{ id: string; name: string; terms: string[] | null; ignored: boolean }[]>(
      `SELECT id::text, name, terms, ignored FROM "Topic" WHERE "workspaceId" = $1::uuid`,
      workspaceId,
    );
  let topics = await read();
  if (!topics.length) {
    const [ws] = await sql.$queryRawUnsafe<{ businessType: string | null }[]>(
      `SELECT "businessType" FROM "Workspace" WHERE id = $1::uuid`,
      workspaceId,
    );
    await ensureStarterTopics(sql, workspaceId, ws?.businessType ?? null);
    topics = await read();
  }
  return {
    vocab: compileVocabulary(topics.map((t) => ({ name: t.name, terms: t.terms ?? [] }))),
    ids: new Map(topics.map((t) => [t.name, t.id])),
    ignored: new Set(topics.filter((t) => t.ignored).map((t) => t.name)),
  };
}

/** A phrase found in this batch joins the vocabulary at once, so its near-duplicates later in the batch join it. */
function learn(vocab: CompiledVocabulary, name: string) {
  vocab.byTerm.set(name, [name]);
  vocab.byCompact.set(name.replace(/[\s'-]+/g, ""), name);
  if (name.length >= 5) vocab.longTerms.push({ term: name, topic: name });
  vocab.maxWords = Math.max(vocab.maxWords, name.split(" ").length);
}

/**
 * One batch: the next source events after the watermark (locked, so two runs never read the same batch), each
 * one's text read and analysed, its topics stored as mentions (the TopicCount triggers count them), languages
 * not analysed counted in TopicSkip, the watermark moved past the batch. All in one transaction: a failure
 * leaves the watermark where it was. Mentions are keyed (topic, event), so reading an event twice counts it once.
 */
async function countBatch(db: Db, upper: string, batchSize: number, total: CountResult): Promise<boolean> {
  return sqlTransaction(db, async (sql) => {
    await sql.$executeRawUnsafe(
      `INSERT INTO "TopicWatermark" (id, "lastEventId") VALUES ($1, $2::uuid) ON CONFLICT (id) DO NOTHING`,
      WATERMARK,
      ZERO,
    );
    const [mark] = await sql.$queryRawUnsafe<{ lastEventId: string }[]>(
      `SELECT "lastEventId"::text AS "lastEventId" FROM "TopicWatermark" WHERE id = $1 FOR UPDATE`,
      WATERMARK,
    );
    const after = mark?.lastEventId ?? ZERO;
    total.watermark = after;
    if (after >= upper) return false;
    const rows = await sql.$queryRawUnsafe<SourceRow[]>(BATCH_SQL, after, upper, batchSize);
    const byWorkspace = new Map<string, WorkspaceTopics>();
    const mentions: { topicId: string; eventId: string; workspaceId: string; day: string; occurredAt: Date }[] = [];
    const skips = new Map<string, { workspaceId: string; day: string; language: string; count: number }>();
    const found = new Map<string, { workspaceId: string; name: string; label: string; events: SourceRow[] }>();
    for (const row of rows) {
      const text = textOfSource(row);
      if (!text) continue;
      let ws = byWorkspace.get(row.workspaceId);
      if (!ws) {
        ws = await loadWorkspaceTopics(sql, row.workspaceId);
        byWorkspace.set(row.workspaceId, ws);
      }
      const result = analyzeText(text, ws.vocab);
      if (!result.analysed) {
        const key = `${row.workspaceId}|${row.day}|${result.language}`;
        const skip = skips.get(key) ?? {
          workspaceId: row.workspaceId,
          day: row.day,
          language: result.language,
          count: 0,
        };
        skip.count++;
        skips.set(key, skip);
        continue;
      }
      total.analysed++;
      for (const name of result.topics) {
        const id = ws.ids.get(name);
        if (id && !ws.ignored.has(name))
          mentions.push({
            topicId: id,
            eventId: row.id,
            workspaceId: row.workspaceId,
            day: row.day,
            occurredAt: row.occurredAt,
          });
        else if (!id) found.get(`${row.workspaceId}|${name}`)?.events.push(row); // found earlier in this batch
      }
      for (const phrase of result.phrases) {
        const key = `${row.workspaceId}|${phrase.name}`;
        const entry = found.get(key) ?? {
          workspaceId: row.workspaceId,
          name: phrase.name,
          label: phrase.label,
          events: [],
        };
        if (!entry.events.includes(row)) entry.events.push(row);
        found.set(key, entry);
        learn(ws.vocab, phrase.name);
      }
    }
    if (found.size) {
      const list = [...found.values()];
      const created = await sql.$queryRawUnsafe<{ id: string; workspaceId: string; name: string }[]>(
        `WITH x AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS x(id, "workspaceId", name, label)),
         ins AS (
           INSERT INTO "Topic" (id, "workspaceId", name, label, kind) SELECT id, "workspaceId", name, label, 'discovered' FROM x
           ON CONFLICT ("workspaceId", name) DO NOTHING RETURNING id, "workspaceId", name)
         SELECT id::text, "workspaceId"::text AS "workspaceId", name FROM ins
         UNION ALL
         SELECT t.id::text, t."workspaceId"::text, t.name FROM "Topic" t JOIN x ON t."workspaceId" = x."workspaceId" AND t.name = x.name
         WHERE NOT t.ignored`,
        list.map(() => uuidv7()),
        list.map((f) => f.workspaceId),
        list.map((f) => f.name),
        list.map((f) => f.label),
      );
      total.newTopics += created.length;
      const idOf = new Map(created.map((c) => [`${c.workspaceId}|${c.name}`, c.id]));
      for (const [key, f] of found) {
        const topicId = idOf.get(key);
        if (!topicId) continue;
        for (const e of f.events)
          mentions.push({ topicId, eventId: e.id, workspaceId: e.workspaceId, day: e.day, occurredAt: e.occurredAt });
      }
    }
    if (mentions.length) {
      total.mentions += await sql.$executeRawUnsafe(
        `INSERT INTO "TopicMention" ("topicId", "eventId", "workspaceId", day, "occurredAt")
         SELECT x.* FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::timestamptz[])
           AS x("topicId", "eventId", "workspaceId", day, "occurredAt")
         WHERE EXISTS (SELECT 1 FROM "Event" e WHERE e.id = x."eventId")
         ON CONFLICT ("topicId", "eventId") DO NOTHING`,
        mentions.map((m) => m.topicId),
        mentions.map((m) => m.eventId),
        mentions.map((m) => m.workspaceId),
        mentions.map((m) => m.day),
        mentions.map((m) => m.occurredAt),
      );
    }
    if (skips.size) {
      const list = [...skips.values()];
      total.skipped += list.reduce((n, s) => n + s.count, 0);
      await sql.$executeRawUnsafe(
        `INSERT INTO "TopicSkip" ("workspaceId", day, language, count)
         SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::int[])
         ON CONFLICT ("workspaceId", day, language) DO UPDATE SET count = "TopicSkip".count + EXCLUDED.count`,
        list.map((s) => s.workspaceId),
        list.map((s) => s.day),
        list.map((s) => s.language),
        list.map((s) => s.count),
      );
    }
    const full = rows.length === batchSize;
    const next = full ? (rows.at(-1)?.id ?? upper) : upper;
    await sql.$executeRawUnsafe(
      `UPDATE "TopicWatermark" SET "lastEventId" = $2::uuid, "updatedAt" = now() WHERE id = $1`,
      WATERMARK,
      next,
    );
    total.read += rows.length;
    total.watermark = next;
    return full;
  });
}

/**
 * The `topics` job (decision 019): counts what customers asked about since the last run, in bounded batches
 * along the watermark, until it catches up with `now` less the settling time or its budget is spent. Never
 * reads history twice: a page view reads the counts only.
 */
export async function countTopics(db: Db, now: Date, opts: CountOptions = {}): Promise<CountResult> {
  const batchSize = opts.batchSize ?? 500;
  const budgetMs = opts.budgetMs ?? 45_000;
  // Never past the real clock less the settling time, whatever `now` says: `jobs run topics --now` in the future
  // would otherwise move the watermark over ids of transactions not yet committed, never to be counted.
  const upper = uuidAt(Math.min(now.getTime(), Date.now()) - settleMs(opts));
  const started = Date.now();
  const total: CountResult = {
    read: 0,
    analysed: 0,
    skipped: 0,
    mentions: 0,
    newTopics: 0,
    batches: 0,
    more: false,
    watermark: ZERO,
  };
  for (;;) {
    const before = total.read;
    const more = await countBatch(db, upper, batchSize, total);
    if (total.read > before) total.batches++;
    if (!more) break;
    await opts.heartbeat?.();
    if (Date.now() - started > budgetMs) {
      total.more = true;
      break;
    }
  }
  return total;
}
