import type { Sql } from "../db/raw-sql.ts";

/**
 * Recomputes what a profile sums up from its events — event count, first and last seen, web visits (R10),
 * first and last touch by event time (R15) — after events moved between profiles (merge, split).
 */
export async function refreshProfiles(db: Sql, workspaceId: string, profileIds: string[]) {
  if (!profileIds.length) return;
  await db.$executeRawUnsafe(
    `UPDATE "Profile" p SET
       "eventCount" = s.n,
       "firstSeenAt" = COALESCE(s.first, p."firstSeenAt"),
       "lastSeenAt" = COALESCE(s.last, p."lastSeenAt"),
       "visitCount" = w.visits,
       "lastWebAt" = w.last,
       "firstTouch" = ft.touch,
       "lastTouch" = lt.touch,
       "updatedAt" = now()
     FROM unnest($2::uuid[]) AS x(id)
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS n, min(e."occurredAt") AS first, max(e."occurredAt") AS last
       FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = x.id
     ) s
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE gap IS NULL OR gap > interval '30 minutes')::int AS visits, max(t) AS last
       FROM (
         SELECT e."occurredAt" AS t, e."occurredAt" - lag(e."occurredAt") OVER (ORDER BY e."occurredAt") AS gap
         FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = x.id AND e.source = 'web'
       ) v
     ) w
     LEFT JOIN LATERAL (
       SELECT jsonb_build_object('occurredAt', to_char(e."occurredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                 'source', e.source::text) || e.campaign AS touch
       FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = x.id AND e.campaign IS NOT NULL
       ORDER BY e."occurredAt", e.id LIMIT 1
     ) ft ON true
     LEFT JOIN LATERAL (
       SELECT jsonb_build_object('occurredAt', to_char(e."occurredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                 'source', e.source::text) || e.campaign AS touch
       FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = x.id AND e.campaign IS NOT NULL
       ORDER BY e."occurredAt" DESC, e.id DESC LIMIT 1
     ) lt ON true
     WHERE p.id = x.id AND p."workspaceId" = $1::uuid`,
    workspaceId,
    profileIds,
  );
}
