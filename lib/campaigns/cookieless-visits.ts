import type { Sql } from "../db/raw-sql.ts";
import { DIRECT } from "./touch-channel.ts";

/**
 * Cookieless visits per campaigns row: the page views of visitors who declined cookies, kept only as
 * anonymous counts (PageCount, API.md "POST /api/collect"), summed per source / medium / campaign.
 *
 * A page count is named like a touch (touch-channel.ts): UTM tags where present; otherwise its external
 * referrer's host (already lower case, without `www.`) as the source with medium "referral"; otherwise
 * "(direct)". Click ids are not kept in a page count, so a cookieless ad click without UTM tags shows under
 * its referrer (or "(direct)"), not as google / cpc.
 *
 * PageCount.day is already the workspace's local day, so the range starts at the local date of `since`
 * (local midnight, from rangeStart). One GROUP BY over the table's primary key prefix (workspaceId, day).
 */
export async function cookielessVisits(db: Sql, workspaceId: string, opts: { since: Date | null; timezone: string }) {
  const rows = await db.$queryRawUnsafe<{ source: string; medium: string; campaign: string; visits: bigint }[]>(
    `SELECT COALESCE(NULLIF("utmSource", ''), NULLIF("referrerHost", ''), '${DIRECT}') AS source,
       COALESCE(NULLIF("utmMedium", ''),
         CASE WHEN "utmSource" = '' AND "referrerHost" <> '' THEN 'referral' END, '') AS medium,
       "utmCampaign" AS campaign,
       sum(count)::int8 AS visits
     FROM "PageCount"
     WHERE "workspaceId" = $1::uuid
       AND ($2::timestamptz IS NULL OR day >= ($2::timestamptz AT TIME ZONE $3::text)::date)
     GROUP BY 1, 2, 3`,
    workspaceId,
    opts.since,
    opts.timezone,
  );
  return rows.map((r) => ({ source: r.source, medium: r.medium, campaign: r.campaign, visits: Number(r.visits) }));
}
