import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { notFound } from "../errors.ts";

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
