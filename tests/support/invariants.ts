import type { Db } from "../../lib/db/client.ts";

/** What must hold in any workspace whatever was ingested (IDENTITY.md), as a list of violations. */
export async function identityInvariants(db: Db, workspaceId: string): Promise<string[]> {
  const q = (sql: string) => db.$queryRawUnsafe<{ n: number }[]>(sql, workspaceId).then((r) => r[0]?.n ?? 0);
  const checks: [string, string][] = [
    [
      "identifiers pointing at a merged or missing profile",
      `SELECT count(*)::int AS n FROM "Identifier" i LEFT JOIN "Profile" p ON p.id = i."profileId" WHERE i."workspaceId" = $1::uuid AND (p.id IS NULL OR p."mergedIntoId" IS NOT NULL)`,
    ],
    [
      "events pointing at a merged or missing profile",
      `SELECT count(*)::int AS n FROM "Event" e LEFT JOIN "Profile" p ON p.id = e."profileId" WHERE e."workspaceId" = $1::uuid AND e."profileId" IS NOT NULL AND (p.id IS NULL OR p."mergedIntoId" IS NOT NULL)`,
    ],
    [
      "events with identifiers but no profile",
      `SELECT count(*)::int AS n FROM "Event" WHERE "workspaceId" = $1::uuid AND "profileId" IS NULL AND cardinality("identityHashes") > 0`,
    ],
    [
      "profiles over a limit",
      `SELECT count(*)::int AS n FROM (SELECT "profileId", type, count(*) AS c FROM "Identifier" WHERE "workspaceId" = $1::uuid GROUP BY 1, 2) x WHERE (type = 'account' AND c > 1) OR (type IN ('email', 'phone') AND c > 5)`,
    ],
    [
      "event counts that do not add up",
      `SELECT count(*)::int AS n FROM "Profile" p WHERE p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL AND p."eventCount" <> (SELECT count(*) FROM "Event" e WHERE e."profileId" = p.id)`,
    ],
    [
      "profiles below a rung one of their events stood on",
      `SELECT count(*)::int AS n FROM "Profile" p WHERE p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL AND p.rung < (SELECT coalesce(max(rung), 0) FROM "Event" e WHERE e."profileId" = p.id)`,
    ],
    [
      "rung 4 without a customer number",
      `SELECT count(*)::int AS n FROM "Profile" WHERE "workspaceId" = $1::uuid AND "mergedIntoId" IS NULL AND rung = 4 AND "customerNumber" IS NULL`,
    ],
    [
      "messages of another profile than their event",
      `SELECT count(*)::int AS n FROM "Message" m JOIN "Event" e ON e.id = m."eventId" WHERE m."workspaceId" = $1::uuid AND m."profileId" <> e."profileId"`,
    ],
    [
      "messages in another profile's thread",
      `SELECT count(*)::int AS n FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE m."workspaceId" = $1::uuid AND m."profileId" <> c."profileId"`,
    ],
  ];
  const out: string[] = [];
  for (const [name, sql] of checks) {
    const n = await q(sql);
    if (n) out.push(`${n} ${name}`);
  }
  return out;
}
