import type { Sql } from "../db/raw-sql.ts";
import { cookielessVisits } from "./cookieless-visits.ts";
import { touchChannelSql } from "./touch-channel.ts";

export const TOUCHES = ["first", "last"] as const;
export type TouchKind = (typeof TOUCHES)[number];
export const RANGES = ["7d", "30d", "90d", "all"] as const;
export type Range = (typeof RANGES)[number];
const RANGE_DAYS: Record<Range, number | null> = { "7d": 7, "30d": 30, "90d": 90, all: null };

/** At most this many rows come back (the long tail of referrer hosts); the rest are counted in `omitted`. */
export const MAX_ROWS = 500;

export interface Counts {
  people: number;
  /** Rung 2 or higher: an email, a phone or an account is known. */
  identified: number;
  /** Rung 4: paying customers. */
  customers: number;
  identifiedRate: number;
  customerRate: number;
}
export interface CampaignRow extends Counts {
  source: string;
  medium: string;
  campaign: string;
  /** Page views of cookieless visitors (declined storage) named like this row; never tied to a person. */
  visits: number;
  /** The creatives (utm_content) of this row, when at least one was tagged; "" is "no utm_content". */
  creatives: (Counts & { content: string })[];
}

/** The profile columns of each kind of touch, and the time that stands in for it when a person has none. */
export const TOUCH_COLUMNS: Record<TouchKind, { touch: string; seen: string }> = {
  first: { touch: `p."firstTouch"`, seen: `p."firstSeenAt"` },
  last: { touch: `p."lastTouch"`, seen: `p."lastSeenAt"` },
};

const rate = (n: number, of: number) => (of ? Math.round((n / of) * 10_000) / 10_000 : 0);
const counts = (r: { people: number; identified: number; customers: number }): Counts => ({
  people: r.people,
  identified: r.identified,
  customers: r.customers,
  identifiedRate: rate(r.identified, r.people),
  customerRate: rate(r.customers, r.people),
});

type Grouped = {
  source: string;
  medium: string;
  campaign: string;
  content: string | null;
  people: number;
  identified: number;
  customers: number;
};

/**
 * The campaigns table: live people (merged-away profiles excluded) per source / medium / campaign of their
 * first or last touch (R15; see touch-channel.ts for how a touch without UTM is named), with how many of
 * them are identified and paying, most people first. The range keeps people whose touch happened since
 * local midnight N-1 days ago in the workspace's time zone; a person with no touch at all counts as
 * "(direct)" at their first (or last) seen time. One query: GROUP BY GROUPING SETS gives the rows and their
 * per-creative breakdown together. Each row also carries its cookieless visits in the same range
 * (cookieless-visits.ts; the same whatever the touch); a row with visits and nobody appears too, after the
 * rows with people.
 */
export async function campaignTable(
  db: Sql,
  workspaceId: string,
  opts: { touch: TouchKind; range: Range; timezone: string },
) {
  const { touch, seen } = TOUCH_COLUMNS[opts.touch];
  const since = await rangeStart(db, opts);
  const rows = await db.$queryRawUnsafe<Grouped[]>(
    `SELECT c.source, c.medium, c.campaign,
       CASE WHEN GROUPING(c.content) = 0 THEN c.content END AS content,
       count(*)::int AS people,
       count(*) FILTER (WHERE p.rung >= 2)::int AS identified,
       count(*) FILTER (WHERE p.rung >= 4)::int AS customers
     FROM "Profile" p
     CROSS JOIN LATERAL (${touchChannelSql(touch)}) AS c
     WHERE p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL
       AND ($2::timestamptz IS NULL OR COALESCE((${touch} ->> 'occurredAt')::timestamptz, ${seen}) >= $2::timestamptz)
     GROUP BY GROUPING SETS ((c.source, c.medium, c.campaign), (c.source, c.medium, c.campaign, c.content))`,
    workspaceId,
    since,
  );
  const key = (r: { source: string; medium: string; campaign: string }) =>
    JSON.stringify([r.source, r.medium, r.campaign]);
  const byKey = new Map<string, CampaignRow>();
  for (const r of rows)
    if (r.content === null) byKey.set(key(r), { ...pick(r), ...counts(r), visits: 0, creatives: [] });
  for (const r of rows) {
    const row = r.content === null ? null : byKey.get(key(r));
    if (row && r.content !== null) row.creatives.push({ content: r.content, ...counts(r) });
  }
  for (const v of await cookielessVisits(db, workspaceId, { since, timezone: opts.timezone })) {
    const row = byKey.get(key(v));
    if (row) row.visits = v.visits;
    else
      byKey.set(key(v), {
        ...pick(v),
        ...counts({ people: 0, identified: 0, customers: 0 }),
        visits: v.visits,
        creatives: [],
      });
  }
  const byPeople = (a: Counts, b: Counts) =>
    b.people - a.people || b.customers - a.customers || b.identified - a.identified;
  // Most people first; rows with visits only after every row with people, most visits first.
  const all = [...byKey.values()].sort((a, b) => byPeople(a, b) || b.visits - a.visits || key(a).localeCompare(key(b)));
  for (const row of all) {
    if (row.creatives.every((c) => c.content === "")) row.creatives = [];
    else row.creatives.sort((a, b) => byPeople(a, b) || a.content.localeCompare(b.content));
  }
  const total = all.reduce(
    (t, r) => ({
      people: t.people + r.people,
      identified: t.identified + r.identified,
      customers: t.customers + r.customers,
      visits: t.visits + r.visits,
    }),
    { people: 0, identified: 0, customers: 0, visits: 0 },
  );
  return {
    touch: opts.touch,
    range: opts.range,
    timezone: opts.timezone,
    since: since?.toISOString() ?? null,
    rows: all.slice(0, MAX_ROWS),
    omitted: Math.max(0, all.length - MAX_ROWS),
    totals: { ...counts(total), visits: total.visits },
  };
}

const pick = (r: Pick<Grouped, "source" | "medium" | "campaign">) => ({
  source: r.source,
  medium: r.medium,
  campaign: r.campaign,
});

/** Local midnight N-1 days ago in the workspace's time zone (today counts as one day); null for all time. */
export async function rangeStart(db: Sql, opts: { range: Range; timezone: string }) {
  const days = RANGE_DAYS[opts.range];
  if (days === null) return null;
  const [r] = await db.$queryRawUnsafe<{ since: Date }[]>(
    `SELECT (date_trunc('day', now() AT TIME ZONE $1) - make_interval(days => $2::int - 1)) AT TIME ZONE $1 AS since`,
    opts.timezone,
    days,
  );
  return r?.since ?? null;
}

export type CampaignTable = Awaited<ReturnType<typeof campaignTable>>;
