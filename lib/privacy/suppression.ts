import type { Tx } from "../db/client.ts";
import { type IdentifierType, identifierKey } from "../identity/types.ts";

/**
 * R18 building block: the suppression list's entries that stop events among some identifiers, as SQL
 * returning `key` (`type:hash`) and `scope` rows — `all` (the event is dropped) where there is one, else
 * `tracking` (a tracking event is stored stripped of every identifier, decision 014). Parameters are
 * positional: the workspace id, and two parallel arrays, the identifiers' types and their hashes. Ingestion
 * runs it inside its batch read (no extra round trip), so an opt-out holds from the next batch on, on every
 * instance: nothing on this path is cached.
 */
export function suppressedKeysSql(workspaceParam: string, typesParam: string, hashesParam: string) {
  // One probe of the unique index per identifier, whatever the table's statistics say ('all' sorts first).
  return `SELECT k.type::text || ':' || k.hash AS key, s.scope
    FROM unnest(${typesParam}::"IdentifierType"[], ${hashesParam}::text[]) AS k(type, hash)
    CROSS JOIN LATERAL (SELECT s.scope FROM "Suppression" s WHERE s."workspaceId" = ${workspaceParam}::uuid
      AND s.type = k.type AND s.hash = k.hash AND s.scope IN ('all', 'tracking') ORDER BY s.scope LIMIT 1) s`;
}

/** The `type:hash` keys among these identifiers that are suppressed for everything. */
export async function suppressedKeys(
  db: Tx,
  workspaceId: string,
  identifiers: readonly { type: IdentifierType; hash: string }[],
): Promise<Set<string>> {
  if (!identifiers.length) return new Set();
  const rows = await db.$queryRawUnsafe<{ key: string; scope: string }[]>(
    suppressedKeysSql("$1", "$2", "$3"),
    workspaceId,
    identifiers.map((i) => i.type),
    identifiers.map((i) => i.hash),
  );
  return new Set(rows.filter((r) => r.scope === "all").map((r) => r.key));
}

export { identifierKey };
