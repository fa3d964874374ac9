import type { Tx } from "../db/client.ts";
import { type IdentifierType, identifierKey } from "../identity/types.ts";

/**
 * R18 building block: which of these identifiers are on the workspace's suppression list for everything
 * (scope "all"). Ingestion drops an event carrying any of them. Returns `type:hash` keys.
 */
export async function suppressedKeys(
  db: Tx,
  workspaceId: string,
  identifiers: readonly { type: IdentifierType; hash: string }[],
): Promise<Set<string>> {
  if (!identifiers.length) return new Set();
  const rows = await db.$queryRawUnsafe<{ type: IdentifierType; hash: string }[]>(
    `SELECT type::text AS type, hash FROM "Suppression"
     WHERE "workspaceId" = $1::uuid AND scope = 'all' AND type::text = ANY($2::text[]) AND hash = ANY($3::text[])`,
    workspaceId,
    [...new Set(identifiers.map((i) => i.type))],
    identifiers.map((i) => i.hash),
  );
  return new Set(rows.map((r) => identifierKey(r.type, r.hash)));
}
