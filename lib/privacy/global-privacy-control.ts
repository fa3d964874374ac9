import type { Sql } from "../db/raw-sql.ts";
import { liveProfileIds } from "../identity/resolve-profile-id.ts";
import type { CollectBody } from "../ingest/schemas.ts";
import type { RequestHeaders } from "../request-headers.ts";

/** The Suppression reason of a GPC signal (scope `sendback`). */
export const GPC_REASON = "gpc";

/** `Sec-GPC: 1` on the request (the GPC specification: the header's only valid value is "1"). */
export const gpcHeaderOf = (headers: RequestHeaders) => headers.get("sec-gpc")?.trim() === "1";

/** The browser said GPC: the request's header, or `props.gpc === true` on any of its events (the tracker's flag). */
export function gpcRequested(headers: RequestHeaders, events: CollectBody["events"]) {
  return gpcHeaderOf(headers) || events.some((e) => e.props?.gpc === true);
}

/**
 * P5: marks the people these events were stored on as having sent Global Privacy Control — the first time
 * only — so no conversion is ever sent back to an ad network for them. Merged-away ids are followed to
 * their survivor (a merge keeps the earliest mark, lib/identity/merge-profiles.ts). In the same statement the
 * mark goes on the one suppression list (decision 014): scope `sendback` over every identifier hash the person
 * holds, so a conversion that arrives by an identifier alone (a payment webhook's email) is held back too
 * (send-back.ts), and their conversions still waiting in the outbox are cancelled. GPC opts out of sale and sharing only: tracking and sends go on, and it is no request in the
 * privacy log (a browser's standing signal, not a person's request).
 */
export async function markGpc(db: Sql, workspaceId: string, profileIds: readonly (string | null)[], at = new Date()) {
  const ids = [...new Set(profileIds.filter((p): p is string => !!p))];
  if (!ids.length) return 0;
  const live = [...new Set((await liveProfileIds(db, workspaceId, ids)).values())];
  if (!live.length) return 0;
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
    `WITH marked AS (
       UPDATE "Profile" SET "gpcAt" = $3, "updatedAt" = now()
       WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[]) AND "gpcAt" IS NULL RETURNING id
     ), listed AS (
       INSERT INTO "Suppression" (id, "workspaceId", type, hash, scope, reason)
       SELECT gen_random_uuid(), $1::uuid, i.type, i.hash, 'sendback', '${GPC_REASON}'
       FROM "Identifier" i JOIN marked m ON m.id = i."profileId" WHERE i."workspaceId" = $1::uuid
       ON CONFLICT ("workspaceId", type, hash, scope) DO NOTHING RETURNING 1
     ), cancelled AS (
       UPDATE "Outbox" SET status = 'cancelled', "lastError" = 'not sent: Global Privacy Control', "finishedAt" = $3
       WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[]) AND status = 'pending' RETURNING 1
     )
     SELECT (SELECT count(*) FROM marked)::int AS n`,
    workspaceId,
    live,
    at,
  );
  return row?.n ?? 0;
}
