import type { Sql } from "../db/raw-sql.ts";
import { liveProfileIds } from "../identity/resolve-profile-id.ts";
import type { CollectBody } from "../ingest/schemas.ts";

/** `Sec-GPC: 1` on the request (the GPC specification: the header's only valid value is "1"). */
export const gpcHeaderOf = (headers: Headers) => headers.get("sec-gpc")?.trim() === "1";

/** The browser said GPC: the request's header, or `props.gpc === true` on any of its events (the tracker's flag). */
export function gpcRequested(headers: Headers, events: CollectBody["events"]) {
  return gpcHeaderOf(headers) || events.some((e) => e.props?.gpc === true);
}

/**
 * P5: marks the people these events were stored on as having sent Global Privacy Control — the first time
 * only — so no conversion is ever sent back to an ad network for them. Merged-away ids are followed to
 * their survivor (a merge keeps the earliest mark, lib/identity/merge-profiles.ts).
 */
export async function markGpc(db: Sql, workspaceId: string, profileIds: readonly (string | null)[], at = new Date()) {
  const ids = [...new Set(profileIds.filter((p): p is string => !!p))];
  if (!ids.length) return 0;
  const live = [...new Set((await liveProfileIds(db, workspaceId, ids)).values())];
  if (!live.length) return 0;
  return db.$executeRawUnsafe(
    `UPDATE "Profile" SET "gpcAt" = $3, "updatedAt" = now()
     WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[]) AND "gpcAt" IS NULL`,
    workspaceId,
    live,
    at,
  );
}
