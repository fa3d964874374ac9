import type { Sql } from "../db/raw-sql.ts";
import { isUuid } from "../db/uuidv7.ts";

/**
 * R6, the one place that follows merges: the live profile each id stands for — itself, or the survivor it
 * was merged into, also through chains of merges (merges forward older chains, so they stay short; the
 * bound only stops a corrupt cycle). Ids unknown, malformed or of another workspace are left out.
 */
export async function liveProfileIds(
  db: Sql,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter(isUuid))];
  if (!wanted.length) return new Map();
  const rows = await db.$queryRawUnsafe<{ start: string; id: string }[]>(
    `WITH RECURSIVE chain AS (
       SELECT id AS start, id, "mergedIntoId", 0 AS depth FROM "Profile" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[])
       UNION ALL
       SELECT c.start, p.id, p."mergedIntoId", c.depth + 1 FROM "Profile" p
       JOIN chain c ON p.id = c."mergedIntoId" AND p."workspaceId" = $1::uuid
       WHERE c.depth < 1000
     )
     SELECT start, id FROM chain WHERE "mergedIntoId" IS NULL`,
    workspaceId,
    wanted,
  );
  return new Map(rows.map((r) => [r.start, r.id]));
}

/** The live profile one id stands for (`liveProfileIds`), or null. */
export async function resolveProfileId(db: Sql, workspaceId: string, id: string): Promise<string | null> {
  return (await liveProfileIds(db, workspaceId, [id])).get(id) ?? null;
}
