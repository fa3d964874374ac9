import type { Db } from "../db/client.ts";
import { sqlTransaction } from "../db/raw-sql.ts";
import type { IngestResult } from "../ingest/ingest-events.ts";
import { POINT_LOOKUPS_ONLY } from "../ingest/load-batch.ts";
import type { PreparedEvent } from "../ingest/prepare-events.ts";
import { deliverNudgesSoon } from "./deliver-nudges.ts";
import { nudgeRules } from "./nudge-settings.ts";
import { pathOf, RETURN_GAP_MS, underPath, underPathSql } from "./rules.ts";

/** Counters of what the hook did in this process (the tests and the benchmark read them). */
export const nudgeHookStats = { batches: 0, lookups: 0, statements: 0, ms: 0 };

/**
 * The event-driven rule, after an ingest transaction committed (lib/ingest/ingest-events.ts commitBatch): never
 * inside it, so the hot path's locks are not held longer. Costs nothing for a batch without a stored page view
 * of a known person; otherwise the workspace's rules (cached 5 s), and — only when `pricing_return` is on and a
 * view is under its path — ONE statement for the whole batch, whatever its size. A failure is logged and never
 * fails the ingest: the events are stored, only a nudge may be missed.
 */
export async function nudgeAfterCommit(
  db: Db,
  workspaceId: string,
  events: readonly PreparedEvent[],
  results: readonly IngestResult[],
): Promise<void> {
  nudgeHookStats.batches++;
  const views: { e: PreparedEvent; profileId: string }[] = [];
  events.forEach((e, i) => {
    const r = results[i];
    if (e.source === "web" && e.type === "page_view" && r?.profileId && !r.duplicate)
      views.push({ e, profileId: r.profileId });
  });
  if (!views.length) return;
  try {
    nudgeHookStats.lookups++;
    const rules = await nudgeRules(db, workspaceId);
    if (!rules.pricingSince) return;
    const since = rules.pricingSince.getTime();
    const hits = views.filter(
      (v) => v.e.occurredAt.getTime() >= since && underPath(pathOf(v.e.properties.url), rules.pricingPath),
    );
    if (!hits.length) return;
    nudgeHookStats.statements++;
    const started = performance.now();
    const ids = await firePricingReturn(db, workspaceId, rules, hits);
    nudgeHookStats.ms += performance.now() - started;
    if (ids.length) deliverNudgesSoon(db, ids);
  } catch (error) {
    console.error("OneThread: evaluating nudges after an ingest batch failed", error);
  }
}

/** The statement of firePricingReturn (exported for EXPLAIN in the tests). */
export const PRICING_RETURN_SQL = `INSERT INTO "Nudge" (id, "workspaceId", "profileId", kind, occurrence, "eventId", "occurredAt", "webhookState", "webhookNextAt", "emailState")
     SELECT gen_random_uuid(), $1::uuid, c.profile, 'pricing_return', '', c.event, c.at,
            CASE WHEN $6 THEN 'pending' END, CASE WHEN $6 THEN now() END, CASE WHEN $7 THEN 'pending' END
     FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) WITH ORDINALITY AS c(profile, event, at, n)
     JOIN "Profile" p ON p.id = c.profile AND p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL
       AND p.rung >= 2 AND p."optedOutAt" IS NULL
     WHERE EXISTS (
       SELECT 1 FROM "Event" o
       WHERE o."workspaceId" = $1::uuid AND o."profileId" = c.profile AND o.type = 'page_view' AND o.source = 'web'
         AND (o."occurredAt" <= c.at - $8::interval OR o."occurredAt" >= c.at + $8::interval)
         AND ${underPathSql(`o.properties->>'url'`, "$5")})
       AND NOT EXISTS (SELECT 1 FROM "Nudge" k WHERE k."workspaceId" = $1::uuid AND k."profileId" = c.profile
         AND k.kind = 'pricing_return' AND k.occurrence = '')
     ORDER BY c.n
     ON CONFLICT ("workspaceId", "profileId", kind, occurrence) DO NOTHING
     RETURNING id`;

/**
 * `pricing_return` for the batch's views under the path, in one statement: a live person on rung 2 or above
 * who has not opted out of everything, with another view of the path at least 30 minutes from this one
 * (before or after: of two concurrent batches, the one committing last sees the other's view). Once per person.
 */
async function firePricingReturn(
  db: Db,
  workspaceId: string,
  rules: { pricingPath: string; webhookUrl: string | null; emailOwners: boolean },
  hits: { e: PreparedEvent; profileId: string }[],
): Promise<string[]> {
  hits.sort((a, b) => a.e.occurredAt.getTime() - b.e.occurredAt.getTime());
  // Planned as the ingest statements are (decision 003): index probes only, whatever the fresh table's statistics.
  const rows = await sqlTransaction(
    db,
    (sql) =>
      sql.$queryRawUnsafe<{ id: string }[]>(
        PRICING_RETURN_SQL,
        workspaceId,
        hits.map((h) => h.profileId),
        hits.map((h) => h.e.eventId),
        hits.map((h) => h.e.occurredAt),
        rules.pricingPath,
        !!rules.webhookUrl,
        rules.emailOwners,
        `${RETURN_GAP_MS / 1000} seconds`,
      ),
    POINT_LOOKUPS_ONLY,
  );
  return rows.map((r) => r.id);
}
