import { awaitingSql, turnChannelSql, turnSql } from "../../lib/conversations/turns.ts";
import type { Db } from "../../lib/db/client.ts";
import { SIGNAL_KEY_SQL } from "../../lib/reports/signal-counts.ts";

/**
 * The report rollups (decisions 011, 017) against what they summarise, recomputed from scratch for one workspace:
 * a list of what differs (empty when the triggers kept everything right).
 */
export async function rollupViolations(db: Db, workspaceId: string): Promise<string[]> {
  const q = (sql: string) => db.$queryRawUnsafe<{ n: number }[]>(sql, workspaceId).then((r) => r[0]?.n ?? 0);
  const diff = (expected: string, actual: string) =>
    `SELECT count(*)::int AS n FROM (((${expected}) EXCEPT (${actual})) UNION ALL ((${actual}) EXCEPT (${expected}))) AS d`;
  const checks: [string, string][] = [
    [
      "PersonRollup rows that differ from ProfileRung and Identifier",
      diff(
        `SELECT p.id, r.r0, r.r1, r.r2, r.r3, r.r4,
           (SELECT count(*)::int FROM "Identifier" i WHERE i."profileId" = p.id AND i.type = 'device') AS devices
         FROM "Profile" p CROSS JOIN LATERAL (
           SELECT min(pr."reachedAt") AS r0, min(pr."reachedAt") FILTER (WHERE pr.rung >= 1) AS r1,
             min(pr."reachedAt") FILTER (WHERE pr.rung >= 2) AS r2, min(pr."reachedAt") FILTER (WHERE pr.rung >= 3) AS r3,
             min(pr."reachedAt") FILTER (WHERE pr.rung >= 4) AS r4
           FROM "ProfileRung" pr WHERE pr."profileId" = p.id) r
         WHERE p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL AND (r.r0 IS NOT NULL OR EXISTS (
           SELECT 1 FROM "Identifier" i WHERE i."profileId" = p.id AND i.type = 'device'))`,
        `SELECT "profileId", reached0, reached1, reached2, reached3, reached4, devices FROM "PersonRollup"
         WHERE "workspaceId" = $1::uuid`,
      ),
    ],
    [
      "SignalHour counts that differ from the events",
      diff(
        `SELECT date_trunc('hour', e."occurredAt", 'UTC') AS hour, k.source, k.type, k.channel, k.detail, k.currency,
           count(*)::int AS n, sum(k.amount)::bigint AS amount
         FROM "Event" e CROSS JOIN LATERAL (SELECT ${SIGNAL_KEY_SQL}) AS k
         WHERE e."workspaceId" = $1::uuid GROUP BY 1, 2, 3, 4, 5, 6`,
        `SELECT hour, source::text, type, channel, detail, currency, sum(count)::int, sum(amount)::bigint FROM "SignalHour"
         WHERE "workspaceId" = $1::uuid GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(count) <> 0 OR sum(amount) <> 0`,
      ),
    ],
    [
      "RungQuarter counts that differ from PersonRollup",
      diff(
        `SELECT date_bin('15 minutes', v.at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS quarter, v.rung, count(*)::int AS n
         FROM "PersonRollup" x CROSS JOIN LATERAL (VALUES (0, x.reached0), (1, x.reached1), (2, x.reached2),
           (3, x.reached3), (4, x.reached4)) AS v(rung, at)
         WHERE x."workspaceId" = $1::uuid AND v.at IS NOT NULL GROUP BY 1, 2`,
        `SELECT quarter, rung::int, sum(people)::int FROM "RungQuarter" WHERE "workspaceId" = $1::uuid
         GROUP BY 1, 2 HAVING sum(people) <> 0`,
      ),
    ],
    [
      "RungTotal counts that differ from the live profiles",
      diff(
        `SELECT rung, count(*)::int FROM "Profile" WHERE "workspaceId" = $1::uuid AND "mergedIntoId" IS NULL GROUP BY 1`,
        `SELECT rung::int, sum(people)::int FROM "RungTotal" WHERE "workspaceId" = $1::uuid GROUP BY 1 HAVING sum(people) <> 0`,
      ),
    ],
    [
      "PersonThread rows that differ from each person's turns (lib/conversations/turns.ts, recomputed)",
      diff(
        `SELECT t."profileId", t."occurredAt", t.id, t.channel, t.awaiting,
           CASE WHEN t.awaiting THEN (
             SELECT min(w."occurredAt") FROM "Event" w WHERE w."workspaceId" = $1::uuid AND w."profileId" = t."profileId"
               AND ${turnSql("w")} AND w."occurredAt" > coalesce((
                 SELECT max(o."occurredAt") FROM "Event" o WHERE o."workspaceId" = $1::uuid AND o."profileId" = t."profileId"
                   AND ${turnSql("o")} AND NOT coalesce(${awaitingSql("o")}, false)), '-infinity')) END
         FROM (
           SELECT DISTINCT ON (e."profileId") e."profileId", e."occurredAt", e.id, ${turnChannelSql("e")} AS channel,
             coalesce(${awaitingSql("e")}, false) AS awaiting
           FROM "Event" e JOIN "Profile" p ON p.id = e."profileId" AND p."mergedIntoId" IS NULL
           WHERE e."workspaceId" = $1::uuid AND ${turnSql("e")}
           ORDER BY e."profileId", e."occurredAt" DESC, e.id DESC) t`,
        `SELECT "profileId", "lastTurnAt", "lastTurnId", "lastChannel", awaiting, "waitingSince" FROM "PersonThread"
         WHERE "workspaceId" = $1::uuid`,
      ),
    ],
  ];
  const out: string[] = [];
  for (const [what, sql] of checks) {
    const n = await q(sql);
    if (n) out.push(`${what}: ${n}`);
  }
  return out;
}
