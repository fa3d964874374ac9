import { encrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import type { Prisma } from "../db/generated/client.ts";
import { notFound } from "../errors.ts";
import { forgetEndpointSecret } from "./find-endpoint.ts";
import { parseIntegrationName } from "./providers.ts";
import { webhookUrl } from "./webhook-url.ts";

/**
 * PUT /api/v1/integrations/{provider}: validates the provider's body, seals its secrets and stores them;
 * a second PUT replaces them (rotation). Answers what API.md lists, plus a generated secret this once.
 */
export interface ConnectAnswer {
  provider: string;
  connected: true;
  /** Null for a provider we only send to (Meta, Google). */
  webhookUrl: string | null;
  /** Only when the server generated it, only in this answer. */
  secret?: string;
}

export async function connectIntegration(
  db: Db,
  workspaceId: string,
  rawName: string,
  body: unknown,
): Promise<ConnectAnswer> {
  const integration = parseIntegrationName(rawName);
  const input = integration.module.connectSchema.parse(body ?? {});
  const connection = integration.module.connect(input);
  const data = {
    secretEnc: encrypt(connection.secret),
    credentialsEnc: connection.credentials ? encrypt(JSON.stringify(connection.credentials)) : null,
    config: (connection.config ?? {}) as Prisma.InputJsonValue,
  };
  await db.webhookEndpoint.upsert({
    where: {
      workspaceId_provider_name: { workspaceId, provider: integration.provider, name: integration.name },
    },
    create: { workspaceId, provider: integration.provider, name: integration.name, ...data },
    update: data,
  });
  forgetEndpointSecret(workspaceId, integration.provider, integration.name);
  return {
    provider: integration.key,
    connected: true,
    webhookUrl: integration.module.outbound ? null : webhookUrl(workspaceId, integration.provider, integration.name),
    ...(connection.reveal ?? {}),
  };
}

/** DELETE /api/v1/integrations/{provider}: the secrets are gone; the delivery log stays. 404 if not connected. */
export async function disconnectIntegration(db: Db, workspaceId: string, rawName: string) {
  const integration = parseIntegrationName(rawName);
  const { count } = await db.webhookEndpoint.deleteMany({
    where: { workspaceId, provider: integration.provider, name: integration.name },
  });
  forgetEndpointSecret(workspaceId, integration.provider, integration.name);
  if (!count) throw notFound(`${integration.key} is not connected.`);
  return { provider: integration.key, connected: false as const };
}
