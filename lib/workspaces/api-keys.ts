import { z } from "zod";
import { randomToken, sha256Hex } from "../crypto/tokens.ts";
import type { Tx } from "../db/client.ts";
import { notFound } from "../errors.ts";
import { processShared } from "../process-shared.ts";
import { API_KEY_SCOPES, type ApiKeyScope } from "./api-key-scopes.ts";

/** A new key: its name and, optionally, fewer scopes than all of them. */
export const createKeyInput = z.object({
  name: z.string().trim().min(1, "is required").max(60),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, "give at least one scope").optional(),
});

/**
 * Creates a secret key holding `scopes` (every scope unless narrowed). The full key is returned once; only its
 * SHA-256 is stored.
 */
export async function createApiKey(
  db: Tx,
  workspaceId: string,
  name: string,
  createdById?: string | null,
  scopes: readonly ApiKeyScope[] = API_KEY_SCOPES,
) {
  const key = `sk_${randomToken(24)}`;
  const row = await db.apiKey.create({
    data: {
      workspaceId,
      name,
      prefix: key.slice(0, 10),
      hash: sha256Hex(key),
      scopes: [...new Set(scopes)],
      createdById: createdById ?? null,
    },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true },
  });
  return { ...row, key };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function revokeApiKey(db: Tx, workspaceId: string, id: string) {
  if (!UUID.test(id)) throw notFound("No active API key with that id in this workspace.");
  const { count } = await db.apiKey.updateMany({
    where: { id, workspaceId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw notFound("No active API key with that id in this workspace.");
  for (const [hash, entry] of verified) if (entry.row.id === id) verified.delete(hash);
}

type KeyRow = { id: string; workspaceId: string; scopes: string[]; revokedAt: Date | null; lastUsedAt: Date | null };
/**
 * Keys verified in the last few seconds, by hash: every API request checks its key, and the chatbot's lookups
 * must stay fast. A revocation clears this process's entry at once; other instances notice within KEY_TTL_MS.
 */
const verified = processShared("verifiedApiKeys", () => new Map<string, { at: number; row: KeyRow }>());
const KEY_TTL_MS = 5_000;

export function listApiKeys(db: Tx, workspaceId: string) {
  return db.apiKey.findMany({
    where: { workspaceId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** The workspace of an active secret key, or null. */
export async function findApiKey(db: Tx, key: string) {
  if (!key.startsWith("sk_") || key.length > 200) return null;
  const hash = sha256Hex(key);
  const hit = verified.get(hash);
  if (hit && Date.now() - hit.at < KEY_TTL_MS) return hit.row;
  const row = await db.apiKey.findUnique({
    where: { hash },
    select: { id: true, workspaceId: true, scopes: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) {
    verified.delete(hash);
    return null;
  }
  if (verified.size > 10_000) verified.clear();
  verified.set(hash, { at: Date.now(), row });
  // Touch lastUsedAt at most once a minute: it is shown in settings, not an audit log.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row;
}

export const newSiteKey = () => `pk_${randomToken(18)}`;

type SiteKeyRow = { workspaceId: string; revokedAt: Date | null; allowedOrigins: string[] };
/**
 * Site keys found in the last few seconds: every tracker request checks its key, and the lookup was a fifth
 * of a one-event collect's statements (docs/decisions/007-ingest-on-real-traffic.md). Only active keys are
 * kept (unknown ones are not, so junk keys cannot fill it). A change of a key's allowed origins in this process
 * clears it at once; other instances notice within SITE_KEY_TTL_MS, as for secret keys.
 */
const siteKeys = processShared("siteKeys", () => new Map<string, { at: number; row: SiteKeyRow }>());
const SITE_KEY_TTL_MS = 5_000;
/** Bumped by every forget: a lookup that started before one does not put back what it read. */
const siteKeyClock = processShared("siteKeyGeneration", () => ({ generation: 0 }));

export async function findSiteKey(db: Tx, key: string) {
  // Site keys are URL-safe tokens: anything else (a NUL Postgres cannot even compare) is simply not one.
  if (!/^pk_[\w-]{1,197}$/.test(key)) return null;
  const hit = siteKeys.get(key);
  if (hit && Date.now() - hit.at < SITE_KEY_TTL_MS) return hit.row;
  const generation = siteKeyClock.generation;
  const row = await db.siteKey.findUnique({
    where: { key },
    select: { workspaceId: true, revokedAt: true, allowedOrigins: true },
  });
  if (!row || row.revokedAt) {
    siteKeys.delete(key);
    return null;
  }
  if (generation === siteKeyClock.generation) {
    if (siteKeys.size > 10_000) siteKeys.clear();
    siteKeys.set(key, { at: Date.now(), row });
  }
  return row;
}

/** Forget a cached site key (after its allowed origins changed), or all of them. */
export function forgetSiteKey(key?: string) {
  siteKeyClock.generation++;
  if (key) siteKeys.delete(key);
  else siteKeys.clear();
}
