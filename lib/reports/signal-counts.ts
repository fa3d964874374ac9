import type { Sql } from "../db/raw-sql.ts";
import type { ReportRange } from "./report-range.ts";

/** Signals of one local day and kind, with the money they carried (minor units, per currency). */
export interface SignalCount {
  day: string;
  source: string;
  type: string;
  channel: string;
  /** An agent event's `action`, an email event's `kind`; "" otherwise. */
  detail: string;
  /** Set only for events with a numeric `amount` and a `currency`. */
  currency: string;
  count: number;
  amount: number;
}

/**
 * The key of an event as the SignalHour rollup counts it. The migration's trigger
 * (prisma/migrations/…_reports_rollups) computes the same expressions; tests/integration/report-rollups.test.ts
 * checks that both agree.
 */
export const SIGNAL_KEY_SQL = `e.source::text AS source, e.type, coalesce(e.channel, '') AS channel,
  CASE e.source WHEN 'agent' THEN left(coalesce(e.properties ->> 'action', ''), 64)
    WHEN 'email' THEN left(coalesce(e.properties ->> 'kind', ''), 64) ELSE '' END AS detail,
  CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number'
    THEN lower(left(e.properties ->> 'currency', 10)) ELSE '' END AS currency,
  CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number'
    AND abs((e.properties ->> 'amount')::numeric) < 1e15 THEN round((e.properties ->> 'amount')::numeric)::bigint ELSE 0 END AS amount`;

/**
 * The local days of a range, each as the instants `[a, z)` it covers within the range, with the whole `grain`
 * ('hour' or '15 minutes') buckets inside it `[g0, g1)`: a rollup answers those, the pieces `[a, g0)` and
 * `[g1, z)` (a range's ends, a local midnight inside an hour) are read from rows. No conversion per row.
 */
export function localDaysSql(grain: "1 hour" | "15 minutes") {
  const floor = (x: string) => `date_bin('${grain}', ${x}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
  return `days AS (
       SELECT to_char(d.local, 'YYYY-MM-DD') AS day,
         GREATEST(d.local AT TIME ZONE $4, $2::timestamptz) AS a,
         LEAST((d.local + interval '1 day') AT TIME ZONE $4, $3::timestamptz) AS z
       FROM generate_series(date_trunc('day', $2::timestamptz AT TIME ZONE $4),
         date_trunc('day', ($3::timestamptz - interval '1 millisecond') AT TIME ZONE $4), interval '1 day') AS d(local)
     ),
     grains AS (
       SELECT day, a, z,
         CASE WHEN ${floor("a")} = a THEN a ELSE ${floor("a")} + interval '${grain}' END AS g0, ${floor("z")} AS g1
       FROM days WHERE a < z
     ),
     pieces AS (
       SELECT day, a AS pa, LEAST(g0, z) AS pz FROM grains
       UNION ALL SELECT day, GREATEST(g0, g1), z FROM grains
     )`;
}

/**
 * Signals in a range, per local day of the workspace's zone and kind, exactly, without reading the range's
 * events: each day's whole UTC hours come from SignalHour (kept by triggers, decision 011), one index range
 * per day; only the pieces an hour cannot answer — the partial hours at either end of the range, and the hour
 * a local midnight cuts in two (zones whose offset is not whole hours) — are read from "Event" by its
 * (workspaceId, occurredAt) index.
 */
export async function signalCounts(db: Sql, workspaceId: string, range: ReportRange): Promise<SignalCount[]> {
  return db.$queryRawUnsafe<SignalCount[]>(
    `WITH ${localDaysSql("1 hour")},
     rolled AS (
       SELECT g.day, s.source, s.type, s.channel, s.detail, s.currency, s.n, s.amount
       FROM grains g
       CROSS JOIN LATERAL (
         SELECT x.source::text AS source, x.type, x.channel, x.detail, x.currency, sum(x.count) AS n,
           sum(x.amount) AS amount
         FROM "SignalHour" x WHERE x."workspaceId" = $1::uuid AND x.hour >= g.g0 AND x.hour < g.g1
         GROUP BY 1, 2, 3, 4, 5
       ) AS s
     ),
     raw AS (
       SELECT p.day, ${SIGNAL_KEY_SQL}
       FROM pieces p
       CROSS JOIN LATERAL (
         -- OFFSET 0 keeps this a probe of the index per piece: flattened, it became a scan of every event.
         SELECT * FROM "Event" x WHERE x."workspaceId" = $1::uuid AND x."occurredAt" >= p.pa AND x."occurredAt" < p.pz
         OFFSET 0
       ) AS e
       WHERE p.pa < p.pz
     )
     SELECT day, source, type, channel, detail, currency, sum(n)::int AS count, sum(amount)::float8 AS amount
     FROM (
       SELECT * FROM rolled
       UNION ALL SELECT day, source, type, channel, detail, currency, count(*), sum(amount) FROM raw GROUP BY 1, 2, 3, 4, 5, 6
     ) AS u
     GROUP BY 1, 2, 3, 4, 5, 6
     HAVING sum(n) <> 0 OR sum(amount) <> 0
     ORDER BY 1, 2, 3, 4, 5, 6`,
    workspaceId,
    range.from,
    range.to,
    range.timezone,
  );
}

/** The counts summed over days and whatever `keep` leaves out. */
export function total(rows: SignalCount[], keep: (r: SignalCount) => boolean = () => true) {
  let count = 0;
  for (const r of rows) if (keep(r)) count += r.count;
  return count;
}

/** Money per currency (minor units) of the rows `keep` selects, largest first. */
export function money(rows: SignalCount[], keep: (r: SignalCount) => boolean) {
  const by = new Map<string, { currency: string; amount: number; count: number }>();
  for (const r of rows) {
    if (!keep(r) || !r.currency) continue;
    const m = by.get(r.currency) ?? { currency: r.currency, amount: 0, count: 0 };
    m.amount += r.amount;
    m.count += r.count;
    by.set(r.currency, m);
  }
  return [...by.values()].sort((a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency));
}
