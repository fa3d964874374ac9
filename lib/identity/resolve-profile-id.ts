import type { Sql } from "../db/raw-sql.ts";
import { isUuid } from "../db/uuidv7.ts";

/**
 * The live profile an id stands for (R6): itself, or the survivor it was merged into, also through chains
 * of merges. Null for an unknown id, a malformed one, or another workspace's.
 */
export async function resolveProfileId(db: Sql, workspaceId: string, id: string): Promise<string | null> {
  if (!isUuid(id)) return null;
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `WITH RECURSIVE chain AS (
       SELECT id, "mergedIntoId", 0 AS depth FROM "Profile" WHERE id = $1::uuid AND "workspaceId" = $2::uuid
       UNION ALL
       SELECT p.id, p."mergedIntoId", c.depth + 1 FROM "Profile" p
       JOIN chain c ON p.id = c."mergedIntoId" AND p."workspaceId" = $2::uuid
       WHERE c.depth < 1000
     )
     SELECT id FROM chain WHERE "mergedIntoId" IS NULL LIMIT 1`,
    id,
    workspaceId,
  );
  return rows[0]?.id ?? null;
}
