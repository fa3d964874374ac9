import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { notFound } from "../errors.ts";
import { processShared } from "../process-shared.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The signing secret of a workspace's integration, for verifying one of its deliveries. A workspace id that is
 * no uuid is refused before Postgres sees it; an unknown workspace and an unknown source are the same 404.
 */
export async function findEndpointSecret(db: Db, workspaceId: string, provider: string, name: string) {
  if (!UUID.test(workspaceId)) throw notFound("No such webhook endpoint.");
  // Raw SQL on the pool: every delivery reads it before anything else (decision 009).
  const [endpoint] = await sqlOf(db).$queryRawUnsafe<{ secretEnc: string }[]>(
    `SELECT "secretEnc" FROM "WebhookEndpoint" WHERE "workspaceId" = $1::uuid AND provider = $2 AND name = $3`,
    workspaceId,
    provider,
    name,
  );
  if (!endpoint) throw notFound("No such webhook endpoint.");
  return decrypt(endpoint.secretEnc);
}

/**
 * Secrets found in the last few seconds: every delivery needs its integration's secret before anything else,
 * and reading it was a statement of every delivery (half of a replay's). A connect, rotation or disconnect in
 * this process forgets the entry at once; other instances notice within SECRET_TTL_MS — as for API keys and
 * site keys (decision 007), except that a delivery failing against a kept secret is checked once more against
 * the stored one, so a rotated-in secret verifies everywhere at once.
 */
// One cache per process (lib/process-shared.ts): `npm start` answers Twilio's deliveries from a second copy
// of this module beside Next's (scripts/serve.ts), and a disconnect in Settings must reach that copy too.
const cache = processShared("webhook-endpoint-secrets", () => ({
  secrets: new Map<string, { at: number; secret: string }>(),
  /** Bumped by every forget: a read that started before one does not put back what it read. */
  generation: 0,
}));
const { secrets } = cache;
const SECRET_TTL_MS = 5_000;

const keyOf = (workspaceId: string, provider: string, name: string) => `${workspaceId}\u0000${provider}\u0000${name}`;

/**
 * Verifies a delivery with its integration's secret: `verify` answers what it verified, or null. 404 for an
 * integration that is not connected (as findEndpointSecret).
 */
export async function verifyWithEndpoint<V>(
  db: Db,
  workspaceId: string,
  provider: string,
  name: string,
  verify: (secret: string) => V | null,
): Promise<V | null> {
  const key = keyOf(workspaceId, provider, name);
  const entry = secrets.get(key);
  const tried = entry && Date.now() - entry.at < SECRET_TTL_MS ? entry.secret : null;
  if (tried !== null) {
    const verified = verify(tried);
    if (verified !== null) return verified;
  }
  const before = cache.generation;
  const secret = await findEndpointSecret(db, workspaceId, provider, name);
  if (before === cache.generation) {
    if (secrets.size > 10_000) secrets.clear();
    secrets.set(key, { at: Date.now(), secret });
  }
  return tried === secret ? null : verify(secret);
}

/** After a connect, rotation or disconnect: this process stops using the secret it kept at once. */
export function forgetEndpointSecret(workspaceId: string, provider: string, name: string) {
  cache.generation++;
  secrets.delete(keyOf(workspaceId, provider, name));
}
