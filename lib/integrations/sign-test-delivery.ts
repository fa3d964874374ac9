import { createHmac } from "node:crypto";
import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { AppError } from "../errors.ts";
import { parseIntegrationName } from "./providers.ts";
import { webhookUrl } from "./webhook-url.ts";

/**
 * The settings page's "Send a signed test event": a small OneThread-shaped delivery (`test: true`, so it is
 * verified and logged but stores no person) signed with the source's own secret exactly as a sender must
 * (`X-OneThread-Signature`). The caller posts it through the real webhook route.
 */
export async function signTestDelivery(db: Db, workspaceId: string, rawName: string) {
  const integration = parseIntegrationName(rawName);
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { workspaceId_provider_name: { workspaceId, provider: integration.provider, name: integration.name } },
    select: { secretEnc: true },
  });
  if (!endpoint)
    throw new AppError("integration_missing", 409, `${integration.key} is not connected: connect it first.`);
  const body = JSON.stringify({
    test: true,
    events: [
      {
        id: `test_${uuidv7()}`,
        source: "webhook",
        type: "integration_test",
        occurredAt: new Date().toISOString(),
        identity: { deviceId: `onethread-test-${integration.name}` },
        properties: { sentFrom: "Settings → Integrations" },
      },
    ],
  });
  const signature = createHmac("sha256", decrypt(endpoint.secretEnc)).update(body).digest("hex");
  return {
    integration,
    url: webhookUrl(workspaceId, integration.provider, integration.name),
    body,
    headers: { "content-type": "application/json", "x-onethread-signature": `sha256=${signature}` },
  };
}
