import type { Sql } from "../db/raw-sql.ts";
import type { ReportRange } from "./report-range.ts";
import { localDaysSql } from "./signal-counts.ts";

/**
 * People who first stood on each rung, per local day, exactly: each day's whole quarter hours from RungQuarter
 * (kept by a trigger, decision 011), one index range per day; only the partial quarter hours at either end of
 * the range from PersonRollup's per-rung indexes. Every zone's offset is whole quarter hours, so no quarter
 * hour spans two local days.
 */
export async function reachedByDay(db: Sql, workspaceId: string, range: ReportRange) {
  const piece = (r: number) =>
    `SELECT ${r} AS rung FROM "PersonRollup" x WHERE x."workspaceId" = $1::uuid AND x.reached${r} >= p.pa
       AND x.reached${r} < p.pz`;
  return db.$queryRawUnsafe<{ rung: number; day: string; n: number }[]>(
    `WITH ${localDaysSql("15 minutes")}
     SELECT rung, day, sum(n)::int AS n FROM (
       SELECT q.rung, g.day, q.n
       FROM grains g
       CROSS JOIN LATERAL (
         SELECT x.rung::int AS rung, sum(x.people) AS n FROM "RungQuarter" x
         WHERE x."workspaceId" = $1::uuid AND x.quarter >= g.g0 AND x.quarter < g.g1 GROUP BY 1
       ) AS q
       UNION ALL
       SELECT e.rung, p.day, count(*)
       FROM pieces p CROSS JOIN LATERAL (${[0, 1, 2, 3, 4].map(piece).join(" UNION ALL ")}) AS e
       WHERE p.pa < p.pz
       GROUP BY 1, 2
     ) AS u
     GROUP BY 1, 2
     HAVING sum(n) <> 0`,
    workspaceId,
    range.from,
    range.to,
    range.timezone,
  );
}

/** People who first stood on each rung (0–4) in the range. */
export async function reachedTotals(db: Sql, workspaceId: string, range: ReportRange): Promise<number[]> {
  const out = [0, 0, 0, 0, 0];
  for (const r of await reachedByDay(db, workspaceId, range)) out[r.rung] = (out[r.rung] ?? 0) + r.n;
  return out;
}
