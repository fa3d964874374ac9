import type { Sql } from "../db/raw-sql.ts";
import { TryAgain } from "../db/retry.ts";
import { liveProfileIds } from "./resolve-profile-id.ts";

export interface LockedProfile {
  id: string;
  createdAt: Date;
  customerNumber: number | null;
  mergedIntoId: string | null;
}

/**
 * The lock order every writer of people keeps (R8): profile rows `FOR UPDATE` in id order, in ONE statement,
 * so two transactions wanting the same people queue instead of deadlocking. Ingestion takes its identifier
 * locks first and then its profiles the same way (lib/ingest/load-batch.ts).
 *
 * The live profiles these (possibly merged-away) ids stand for, locked for the rest of the transaction, in
 * the order of `ids` (one row per distinct live profile). The profiles merged into them are locked in the same
 * statement and order, since a merge forwards them (lib/identity/merge-profiles.ts). Null when an id is unknown.
 * A profile merged or erased while we waited for its lock throws `TryAgain`: holding a stale lock while taking
 * more would break the order, so the caller's transaction is rolled back and run again (lib/db/retry.ts).
 */
export async function lockLiveProfiles(
  tx: Sql,
  workspaceId: string,
  ids: readonly string[],
): Promise<LockedProfile[] | null> {
  const live = await liveProfileIds(tx, workspaceId, ids);
  if (ids.some((id) => !live.has(id))) return null;
  const wanted = [...new Set(ids.map((id) => live.get(id) as string))];
  const rows = await tx.$queryRawUnsafe<LockedProfile[]>(
    `SELECT id, "createdAt", "customerNumber", "mergedIntoId" FROM "Profile"
     WHERE "workspaceId" = $1::uuid AND (id = ANY($2::uuid[]) OR "mergedIntoId" = ANY($2::uuid[])) ORDER BY id FOR UPDATE`,
    workspaceId,
    wanted,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = wanted.map((id) => byId.get(id));
  if (out.some((r) => !r || r.mergedIntoId)) throw new TryAgain("A profile changed while waiting for its lock.");
  return out as LockedProfile[];
}
