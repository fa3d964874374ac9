import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { notFound } from "../errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The signing secret of a workspace's integration, for verifying one of its deliveries. A workspace id that is
 * no uuid is refused before Postgres sees it; an unknown workspace and an unknown source are the same 404.
 */
export async function findEndpointSecret(db: Db, workspaceId: string, provider: string, name: string) {
  if (!UUID.test(workspaceId)) throw notFound("No such webhook endpoint.");
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { workspaceId_provider_name: { workspaceId, provider, name } },
    select: { id: true, secretEnc: true },
  });
  if (!endpoint) throw notFound("No such webhook endpoint.");
  return decrypt(endpoint.secretEnc);
}
