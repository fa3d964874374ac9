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
 * Signals in a range, per local day of the workspace's zone and kind, exactly, without reading the range's
 * events: whole UTC hours come from SignalHour (kept by triggers, decision 011); only the pieces an hour
 * cannot answer are read from "Event" by its (workspaceId, occurredAt) index — the partial hours at either
 * end of the range, and the hours a local midnight cuts in two (zones whose offset is not whole hours).
 */
export async function signalCounts(db: Sql, workspaceId: string, range: ReportRange): Promise<SignalCount[]> {
  const rows = await db.$queryRawUnsafe<SignalCount[]>(
    `WITH b AS (
       SELECT $2::timestamptz AS f, $3::timestamptz AS t,
         CASE WHEN date_trunc('hour', $2::timestamptz, 'UTC') = $2::timestamptz THEN $2::timestamptz
              ELSE date_trunc('hour', $2::timestamptz, 'UTC') + interval '1 hour' END AS h0,
         date_trunc('hour', $3::timestamptz, 'UTC') AS h1
     ),
     cut AS (
       SELECT DISTINCT date_trunc('hour', m.at, 'UTC') AS hour
       FROM b
       CROSS JOIN LATERAL generate_series(date_trunc('day', b.f AT TIME ZONE $4), date_trunc('day', b.t AT TIME ZONE $4),
         interval '1 day') AS d(local)
       CROSS JOIN LATERAL (SELECT d.local AT TIME ZONE $4 AS at) AS m
       WHERE date_trunc('hour', m.at, 'UTC') <> m.at AND date_trunc('hour', m.at, 'UTC') >= b.h0
         AND date_trunc('hour', m.at, 'UTC') < b.h1
     ),
     windows AS (
       SELECT b.f AS a, LEAST(b.h0, b.t) AS z FROM b
       UNION ALL SELECT GREATEST(b.h0, b.h1), b.t FROM b
       UNION ALL SELECT hour, hour + interval '1 hour' FROM cut
     ),
     rolled AS (
       SELECT to_char(s.hour AT TIME ZONE $4, 'YYYY-MM-DD') AS day, s.source::text AS source, s.type, s.channel,
         s.detail, s.currency, sum(s.count) AS n, sum(s.amount) AS amount
       FROM "SignalHour" s, b
       WHERE s."workspaceId" = $1::uuid AND s.hour >= b.h0 AND s.hour < b.h1
         AND NOT EXISTS (SELECT 1 FROM cut WHERE cut.hour = s.hour)
       GROUP BY 1, 2, 3, 4, 5, 6
     ),
     raw AS (
       SELECT to_char(e."occurredAt" AT TIME ZONE $4, 'YYYY-MM-DD') AS day, ${SIGNAL_KEY_SQL}
       FROM windows w
       CROSS JOIN LATERAL (
         -- OFFSET 0 keeps this a probe of the index per window: flattened, it became a scan of every event.
         SELECT * FROM "Event" x WHERE x."workspaceId" = $1::uuid AND x."occurredAt" >= w.a AND x."occurredAt" < w.z
         OFFSET 0
       ) AS e
       WHERE w.a < w.z
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
  return rows;
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
