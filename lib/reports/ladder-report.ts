import type { Sql } from "../db/raw-sql.ts";
import type { ReportRange } from "./report-range.ts";

export const RUNG_NAMES = ["Device", "Returning device", "Email", "Phone", "Customer"] as const;

export interface LadderRung {
  rung: number;
  name: string;
  /** Live people standing on this rung now. */
  people: number;
  /** People who first stood on this rung or above within the range. */
  reached: number;
}

export interface LadderStep {
  from: number;
  to: number;
  /** Of the people who reached `from` in the range, the share who reached `to` or above before its end. */
  rate: number;
  /** Median hours from reaching `from` to reaching `to`, over those who did; null when nobody did. */
  medianHours: number | null;
  /** How many people the rate is of (= the `from` rung's `reached`), and how many climbed. */
  people: number;
  climbed: number;
}

export interface LadderReport {
  from: string;
  to: string;
  timezone: string;
  rungs: LadderRung[];
  steps: LadderStep[];
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The ladder as a funnel over a range (API.md `GET /api/v1/reports/ladder`). Rungs are cumulative: someone who
 * gave an email on their first visit has reached rung 1 as well (as reaching rung 2 implies the lower rungs in
 * a funnel), at the same moment, so each step's rate is of the people on the rung below and the bars never
 * grow. Each step is one index-only range scan of PersonRollup (reachedN, reachedN+1), all five in parallel; "people now" from RungTotal.
 */
export async function ladderReport(db: Sql, workspaceId: string, range: ReportRange): Promise<LadderReport> {
  const step = (r: number) =>
    db.$queryRawUnsafe<{ rung: number; reached: number; climbed: number | null; median: number | null }[]>(
      r === 4
        ? `SELECT 4 AS rung, count(*)::int AS reached, NULL AS climbed, NULL AS median FROM "PersonRollup"
           WHERE "workspaceId" = $1::uuid AND reached4 >= $2::timestamptz AND reached4 < $3::timestamptz`
        : `SELECT ${r} AS rung, count(*)::int AS reached,
             count(*) FILTER (WHERE reached${r + 1} < $3::timestamptz)::int AS climbed,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', reached${r + 1} - reached${r}))
               FILTER (WHERE reached${r + 1} < $3::timestamptz))::float8 AS median
           FROM "PersonRollup"
           WHERE "workspaceId" = $1::uuid AND reached${r} >= $2::timestamptz AND reached${r} < $3::timestamptz`,
      workspaceId,
      range.from,
      range.to,
    );
  // One statement per rung, in parallel: each is its own index-only range scan.
  const [now, ...parts] = await Promise.all([peopleByRung(db, workspaceId), ...[0, 1, 2, 3, 4].map(step)]);
  const steps = parts.flat();
  const byRung = new Map(steps.map((s) => [s.rung, s]));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    timezone: range.timezone,
    rungs: RUNG_NAMES.map((name, rung) => ({
      rung,
      name,
      people: now[rung] ?? 0,
      reached: byRung.get(rung)?.reached ?? 0,
    })),
    steps: [0, 1, 2, 3].map((r) => {
      const s = byRung.get(r);
      const people = s?.reached ?? 0;
      const climbed = s?.climbed ?? 0;
      return {
        from: r,
        to: r + 1,
        rate: people ? round(climbed / people, 4) : 0,
        medianHours: s?.median == null ? null : round(s.median / 3600, 2),
        people,
        climbed,
      };
    }),
  };
}

/** Live people per rung now: RungTotal (a trigger on Profile keeps it, decision 011), a few rows whatever the size. */
export async function peopleByRung(db: Sql, workspaceId: string): Promise<number[]> {
  const rows = await db.$queryRawUnsafe<{ rung: number; n: number }[]>(
    `SELECT rung::int AS rung, sum(people)::int AS n FROM "RungTotal" WHERE "workspaceId" = $1::uuid GROUP BY rung`,
    workspaceId,
  );
  const out = [0, 0, 0, 0, 0];
  for (const r of rows) if (r.rung >= 0 && r.rung <= 4) out[r.rung] = r.n;
  return out;
}
