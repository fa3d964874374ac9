import type { Db } from "../db/client.ts";
import { sqlOf, sqlTransaction } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { INDEX_ORDER, inPage } from "./export-source.ts";
import { removeEmptyPeople } from "./remove-empty-people.ts";
import { type RetentionCutoffs, retentionCutoffs } from "./retention-cutoffs.ts";

export interface PurgeOptions {
  /** Events per DELETE statement (default 5,000; 1,000 on the embedded database). */
  batchSize?: number;
  /** Called between batches: the job's sign of life (lib/jobs/registry.ts). */
  heartbeat?: () => Promise<void>;
  /** Called after each batch with the events it deleted (tests and the benchmark watch the bound). */
  onBatch?: (deleted: number) => void;
}

/** What one workspace's purge removed: the JobRun result the owner's Settings → Data shows. */
export interface WorkspacePurge {
  cutoff: string;
  customerCutoff: string;
  events: number;
  messages: number;
  conversations: number;
  people: number;
  webhookReceipts: number;
  /** Rows of the conversion send-back outbox past the cut-off of the events they were about. */
  conversions: number;
  batches: number;
  /** Expired events still there at the end (rows another transaction held every time we came by); normally 0. */
  remaining: number;
}

export const purgeBatchSize = () => (process.env.ONETHREAD_EMBEDDED === "1" ? 1000 : 5000);

interface ScanRow {
  id: string;
  occurredAt: Date;
  profileId: string | null;
}

interface DeleteRow {
  events: number;
  messages: number;
  profiles: string[];
  conversations: string[];
}

/**
 * The next `limit` expired events along the (workspaceId, occurredAt) index after the keyset position: read
 * without locks, to learn whose they are.
 */
const SCAN_SQL = `
SELECT e.id::text, e."occurredAt", e."profileId"::text AS "profileId" FROM "Event" e
WHERE e."workspaceId" = $1::uuid AND e."occurredAt" < $2::timestamptz
  AND ($3::timestamptz IS NULL OR (e."occurredAt" >= $3::timestamptz AND (e."occurredAt" > $3::timestamptz OR e.id > $4::uuid)))
ORDER BY e."occurredAt", e.id LIMIT $5`;

/**
 * Of the scanned events, those past their cut-off — everyone's before `$3`, and before the later cut-off those
 * of anyone who is not a paying customer (rung 4) now — go, with the messages that are their text, and their
 * people's event counts follow. Run with the people's rows locked (lib/identity/lock-profiles.ts order: profiles
 * first, in id order): an event that changed hands since the scan is left for the next pass, rows another
 * transaction holds are skipped, never waited for. The report triggers take the deleted rows off the hourly
 * counts in the same statement.
 */
const DELETE_SQL = `
WITH doomed AS (
  SELECT e.id FROM "Event" e LEFT JOIN "Profile" p ON p.id = e."profileId"
  WHERE e.id = ANY($2::uuid[]) AND e."workspaceId" = $1::uuid
    AND (e."profileId" IS NULL OR e."profileId" = ANY($4::uuid[]))
    AND (e."occurredAt" < $3::timestamptz OR p.rung IS NULL OR p.rung < 4)
  FOR UPDATE OF e SKIP LOCKED
),
gone AS (
  DELETE FROM "Event" e USING doomed d WHERE e.id = d.id
  RETURNING e.id, e."profileId", e."occurredAt", e.source
),
msgs AS (
  DELETE FROM "Message" m USING gone g
  WHERE g.source IN ('channel', 'email') AND m."profileId" = g."profileId" AND m."occurredAt" = g."occurredAt"
    AND m."eventId" = g.id
  RETURNING m."conversationId"
),
counted AS (
  UPDATE "Profile" p SET "eventCount" = greatest(0, p."eventCount" - x.n)
  FROM (SELECT "profileId", count(*)::int AS n FROM gone WHERE "profileId" IS NOT NULL GROUP BY 1) x
  WHERE p.id = x."profileId"
  RETURNING p.id
)
SELECT (SELECT count(*)::int FROM gone) AS events,
  (SELECT count(*)::int FROM msgs) AS messages,
  (SELECT coalesce(array_agg(id::text), '{}') FROM counted) AS profiles,
  (SELECT coalesce(array_agg(DISTINCT "conversationId"::text), '{}') FROM msgs) AS conversations`;

/**
 * P14 for one workspace: deletes every event older than its cut-off in bounded batches (each its own short
 * statement, so ingestion never waits long), the messages that were their text, threads left empty, and the
 * people left with nothing (lib/privacy/remove-empty-people.ts); then webhook deliveries older than the longest
 * cut-off, and the send-back outbox's conversions past the cut-off of the events they were about. Idempotent: a
 * second run finds nothing to do. Profiles that stay keep their history's summary (first seen, first touch, rungs
 * reached), their event count follows.
 */
export async function purgeWorkspace(
  db: Db,
  ws: { id: string; retentionMonths: number; customerRetentionMonths: number | null },
  now: Date,
  opts: PurgeOptions = {},
): Promise<WorkspacePurge> {
  const cut = retentionCutoffs(ws, now);
  const limit = opts.batchSize ?? purgeBatchSize();
  const out: WorkspacePurge = {
    cutoff: cut.events.toISOString(),
    customerCutoff: cut.customers.toISOString(),
    events: 0,
    messages: 0,
    conversations: 0,
    people: 0,
    webhookReceipts: 0,
    conversions: 0,
    batches: 0,
    remaining: 0,
  };
  // A row another transaction held is skipped, so a pass may leave some: look again from the start, a few times.
  for (let pass = 0; pass < 3; pass++) {
    await eventPass(db, ws.id, cut, limit, out, opts);
    out.remaining = await expiredLeft(db, ws.id, cut);
    if (!out.remaining) break;
  }
  // People left with nothing whom no batch touched (a run killed between its two halves, a busy profile skipped).
  out.people += await sweepPeople(db, ws.id, cut.events, opts);
  out.webhookReceipts = await purgeReceipts(db, ws.id, cut.customers, limit);
  out.conversions = await purgeConversions(db, ws.id, cut, limit);
  return out;
}

interface Batch {
  scanned: number;
  last: ScanRow;
  deleted: DeleteRow;
}

async function eventPass(
  db: Db,
  workspaceId: string,
  cut: RetentionCutoffs,
  limit: number,
  out: WorkspacePurge,
  opts: PurgeOptions,
) {
  // Scanning stops at everyone's cut-off; before the customers' (never later) everyone's events go.
  const until = cut.events;
  const before = cut.customers;
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const position: { at: Date; id: string } | null = after;
    // One short transaction: the scan, then the people (the order every writer of people keeps, R8), then their
    // events; planned as index ranges whatever the statistics say (INDEX_ORDER).
    const batch: Batch | null = await withRetry(() =>
      sqlTransaction(
        db,
        async (tx): Promise<Batch | null> => {
          const scan: ScanRow[] = await tx.$queryRawUnsafe<ScanRow[]>(
            SCAN_SQL,
            workspaceId,
            until,
            position?.at ?? null,
            position?.id ?? null,
            limit,
          );
          if (!scan.length) return null;
          const people = [...new Set(scan.flatMap((e) => (e.profileId ? [e.profileId] : [])))].sort();
          await tx.$queryRawUnsafe(
            `SELECT id FROM "Profile" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
            people,
          );
          const [row] = await tx.$queryRawUnsafe<DeleteRow[]>(
            DELETE_SQL,
            workspaceId,
            scan.map((e) => e.id),
            before,
            people,
          );
          return { scanned: scan.length, last: scan[scan.length - 1] as ScanRow, deleted: row as DeleteRow };
        },
        INDEX_ORDER,
      ),
    );
    if (!batch) return;
    const b = batch.deleted;
    out.batches++;
    out.events += b.events;
    out.messages += b.messages;
    opts.onBatch?.(b.events);
    if (b.conversations.length) out.conversations += await dropEmptyThreads(db, workspaceId, b.conversations);
    if (b.profiles.length) out.people += await removeEmptyPeople(db, workspaceId, b.profiles);
    await opts.heartbeat?.();
    if (batch.scanned < limit) return;
    after = { at: batch.last.occurredAt, id: batch.last.id };
    // Let whatever queued behind the batch (ingestion, pages) run before the next one.
    await new Promise((r) => setImmediate(r));
  }
}

/** Threads whose every message went with the batch (skipping any another transaction holds). */
async function dropEmptyThreads(db: Db, workspaceId: string, ids: string[]) {
  return withRetry(() =>
    sqlOf(db).$executeRawUnsafe(
      `DELETE FROM "Conversation" c WHERE c.id IN (
         SELECT id FROM "Conversation" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[])
         ORDER BY id FOR UPDATE SKIP LOCKED)
       AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id)`,
      workspaceId,
      ids,
    ),
  );
}

/** Expired events still stored (the check that the cut-off holds). */
async function expiredLeft(db: Db, workspaceId: string, cut: RetentionCutoffs) {
  const [row] = await sqlOf(db).$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "Event" e LEFT JOIN "Profile" p ON p.id = e."profileId"
     WHERE e."workspaceId" = $1::uuid AND e."occurredAt" < $2::timestamptz
       AND (e."occurredAt" < $3::timestamptz OR p.rung IS NULL OR p.rung < 4)`,
    workspaceId,
    cut.events,
    cut.customers,
  );
  return row?.n ?? 0;
}

interface SeenRow {
  id: string;
  lastSeenAt: Date;
}

/** Live people last seen before the cut-off who hold no event, a keyset page of the lastSeenAt index at a time. */
async function sweepPeople(db: Db, workspaceId: string, cutoff: Date, opts: PurgeOptions) {
  let removed = 0;
  let after: SeenRow | null = null;
  for (;;) {
    const position: SeenRow | null = after;
    const page: SeenRow[] = await inPage(db, (sql) =>
      sql.$queryRawUnsafe<SeenRow[]>(
        `SELECT p.id::text AS id, p."lastSeenAt" FROM "Profile" p
         WHERE p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL AND p."lastSeenAt" < $2::timestamptz
           AND ($3::timestamptz IS NULL
             OR (p."lastSeenAt" >= $3::timestamptz AND (p."lastSeenAt" > $3::timestamptz OR p.id > $4::uuid)))
         ORDER BY p."lastSeenAt", p.id LIMIT 1000`,
        workspaceId,
        cutoff,
        position?.lastSeenAt ?? null,
        position?.id ?? null,
      ),
    );
    if (!page.length) return removed;
    removed += await removeEmptyPeople(
      db,
      workspaceId,
      page.map((p) => p.id),
    );
    await opts.heartbeat?.();
    if (page.length < 1000) return removed;
    after = page[page.length - 1] as SeenRow;
  }
}

/** Webhook deliveries (raw bodies naming people) older than the workspace's longest cut-off, in bounded batches. */
const purgeReceipts = (db: Db, workspaceId: string, cutoff: Date, limit: number) =>
  deleteInBatches(
    db,
    `DELETE FROM "WebhookReceipt" WHERE id IN (
       SELECT id FROM "WebhookReceipt" WHERE "workspaceId" = $1::uuid AND "receivedAt" < $2::timestamptz
       ORDER BY "receivedAt" LIMIT $3 FOR UPDATE SKIP LOCKED)`,
    [workspaceId, cutoff],
    limit,
  );

/**
 * The conversion send-back outbox (decision 021) keeps, per conversion, what went to an ad network: the event's
 * value, currency, click id and time. It is kept no longer than the event it was about (P14): the same cut-offs,
 * everyone's and, for a paying customer now, the longer one. Whatever its state: a conversion that old is one no
 * ad network takes any more (Meta: 7 days, Google: 90). In bounded batches; rows the deliverer holds are left for
 * the next night.
 */
const purgeConversions = (db: Db, workspaceId: string, cut: RetentionCutoffs, limit: number) =>
  deleteInBatches(
    db,
    `DELETE FROM "Outbox" WHERE id IN (
       SELECT o.id FROM "Outbox" o LEFT JOIN "Profile" p ON p.id = o."profileId"
       WHERE o."workspaceId" = $1::uuid AND o."occurredAt" < $2::timestamptz
         AND (o."occurredAt" < $3::timestamptz OR p.rung IS NULL OR p.rung < 4)
       ORDER BY o.id LIMIT $4 FOR UPDATE OF o SKIP LOCKED)`,
    [workspaceId, cut.events, cut.customers],
    limit,
  );

/**
 * Runs a DELETE of at most `limit` rows (its last parameter, after `values`) until one deletes fewer: each batch
 * is its own short statement, so nothing waits on the purge for long. Returns the rows deleted.
 */
async function deleteInBatches(db: Db, sql: string, values: unknown[], limit: number) {
  let removed = 0;
  for (;;) {
    const n = await inPage(db, (tx) => tx.$executeRawUnsafe(sql, ...values, limit));
    removed += n;
    if (n < limit) return removed;
  }
}
