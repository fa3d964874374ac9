import type { Sql } from "../db/raw-sql.ts";

/**
 * R12, the one place customer numbers are handed out: the workspace's next numbers, in the order given, to
 * those of `profileIds` that have none yet (sequential, never reused: the counter only goes up, and the
 * workspace may set the first one). One statement; the workspace's counter row stays locked to the commit,
 * so callers run it last in their transaction (concurrent batches of other people then queue only briefly).
 */
export async function allocateCustomerNumbers(tx: Sql, workspaceId: string, profileIds: readonly string[]) {
  if (!profileIds.length) return;
  await tx.$executeRawUnsafe(
    `WITH cn AS (
       UPDATE "Workspace" SET "customerNumberNext" = "customerNumberNext" + $2::int WHERE id = $1::uuid
       RETURNING "customerNumberNext" - $2::int AS first
     )
     UPDATE "Profile" p SET "customerNumber" = (SELECT first FROM cn) + v.n - 1
     FROM unnest($3::uuid[]) WITH ORDINALITY AS v(id, n) WHERE p.id = v.id AND p."customerNumber" IS NULL`,
    workspaceId,
    profileIds.length,
    [...profileIds],
  );
}
