import type { Tx } from "../db/client.ts";
import { type IdentifierType, identifierKey } from "../identity/types.ts";

/**
 * R18 building block: the suppression list's entries for everything (scope "all") among some identifiers,
 * as SQL returning `key` (`type:hash`) rows. Parameters are positional: the workspace id, and two parallel
 * arrays, the identifiers' types and their hashes. Ingestion runs it inside its batch read (no extra round trip) and drops every event
 * carrying one of them; the privacy capability extends the rule here (scopes, stripping instead of dropping).
 */
export function suppressedKeysSql(workspaceParam: string, typesParam: string, hashesParam: string) {
  // One probe of the unique index per identifier, whatever the table's statistics say.
  return `SELECT k.type::text || ':' || k.hash AS key
    FROM unnest(${typesParam}::"IdentifierType"[], ${hashesParam}::text[]) AS k(type, hash)
    CROSS JOIN LATERAL (SELECT 1 FROM "Suppression" s WHERE s."workspaceId" = ${workspaceParam}::uuid
      AND s.type = k.type AND s.hash = k.hash AND s.scope = 'all' LIMIT 1) s`;
}

/** The `type:hash` keys among these identifiers that are suppressed for everything. */
export async function suppressedKeys(
  db: Tx,
  workspaceId: string,
  identifiers: readonly { type: IdentifierType; hash: string }[],
): Promise<Set<string>> {
  if (!identifiers.length) return new Set();
  const rows = await db.$queryRawUnsafe<{ key: string }[]>(
    suppressedKeysSql("$1", "$2", "$3"),
    workspaceId,
    identifiers.map((i) => i.type),
    identifiers.map((i) => i.hash),
  );
  return new Set(rows.map((r) => r.key));
}

export { identifierKey };
