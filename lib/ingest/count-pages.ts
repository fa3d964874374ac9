import type { Tx } from "../db/client.ts";
import { pageCountKey } from "./from-requests.ts";
import type { CollectBody } from "./schemas.ts";

/** Cookieless visitors: page views only add to anonymous counts; nothing else is kept (API.md). */
export async function countPages(db: Tx, workspaceId: string, events: CollectBody["events"], timezone = "UTC") {
  const keys = events.map((e) => pageCountKey(e, timezone)).filter((k) => k !== null);
  if (!keys.length) return 0;
  await db.$executeRawUnsafe(
    `INSERT INTO "PageCount" ("workspaceId", day, path, "referrerHost", "utmSource", "utmMedium", "utmCampaign", count)
     SELECT $1::uuid, d::date, p, r, s, m, c, count(*)::int
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(d, p, r, s, m, c)
     GROUP BY d, p, r, s, m, c
     ON CONFLICT ("workspaceId", day, path, "referrerHost", "utmSource", "utmMedium", "utmCampaign")
     DO UPDATE SET count = "PageCount".count + EXCLUDED.count`,
    workspaceId,
    keys.map((k) => k.day),
    keys.map((k) => k.path),
    keys.map((k) => k.referrerHost),
    keys.map((k) => k.utmSource),
    keys.map((k) => k.utmMedium),
    keys.map((k) => k.utmCampaign),
  );
  return keys.length;
}
