import { randomToken, sha256Hex } from "../crypto/tokens.ts";
import type { Tx } from "../db/client.ts";
import { notFound } from "../http/errors.ts";

export const API_KEY_SCOPES = [
  "events:write",
  "profiles:read",
  "profiles:write",
  "links:write",
  "export:read",
] as const;

/** Creates a secret key. The full key is returned once; only its SHA-256 is stored. */
export async function createApiKey(db: Tx, workspaceId: string, name: string, createdById?: string | null) {
  const key = `sk_${randomToken(24)}`;
  const row = await db.apiKey.create({
    data: {
      workspaceId,
      name,
      prefix: key.slice(0, 10),
      hash: sha256Hex(key),
      scopes: [...API_KEY_SCOPES],
      createdById: createdById ?? null,
    },
    select: { id: true, name: true, prefix: true, createdAt: true },
  });
  return { ...row, key };
}

export async function revokeApiKey(db: Tx, workspaceId: string, id: string) {
  const { count } = await db.apiKey.updateMany({
    where: { id, workspaceId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw notFound("No active API key with that id in this workspace.");
}

export function listApiKeys(db: Tx, workspaceId: string) {
  return db.apiKey.findMany({
    where: { workspaceId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** The workspace of an active secret key, or null. */
export async function findApiKey(db: Tx, key: string) {
  if (!key.startsWith("sk_") || key.length > 200) return null;
  const row = await db.apiKey.findUnique({
    where: { hash: sha256Hex(key) },
    select: { id: true, workspaceId: true, scopes: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  // Touch lastUsedAt at most once a minute: it is shown in settings, not an audit log.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row;
}

export const newSiteKey = () => `pk_${randomToken(18)}`;

export async function findSiteKey(db: Tx, key: string) {
  if (!key.startsWith("pk_") || key.length > 200) return null;
  const row = await db.siteKey.findUnique({
    where: { key },
    select: { workspaceId: true, revokedAt: true, allowedOrigins: true },
  });
  return row && !row.revokedAt ? row : null;
}
