import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWebhook } from "@/lib/http/with-webhook.ts";
import { findEndpointSecret } from "@/lib/integrations/find-endpoint.ts";
import { parseIntegrationName } from "@/lib/integrations/providers.ts";
import { publicUrl } from "@/lib/integrations/public-url.ts";
import { receiveDelivery } from "@/lib/integrations/receive-delivery.ts";

/**
 * The workspace's Resend events (API.md "Webhooks"): raw body → Svix signature (the `svix` package, the
 * endpoint's whsec_ secret, ±5 min) → record → dispatch. An inbound mail whose body cannot be fetched from
 * Resend answers 502, so Resend retries.
 */
export const POST = withWebhook(
  async ({ req, raw, params, db }) => {
    const workspaceId = params.workspaceId ?? "";
    const secret = await findEndpointSecret(db, workspaceId, "resend", "default");
    const integration = parseIntegrationName("resend");
    const verified = integration.module.verify(secret, req.headers, raw, Date.now(), publicUrl(req));
    return verified ? { workspaceId, integration, ...verified } : false;
  },
  async ({ req, raw, db, verified }) => {
    const { workspaceId, integration, ...signature } = verified;
    const answer = await receiveDelivery(db, workspaceId, integration, signature, req, raw);
    return Response.json({ received: true, ...answer }, { headers: { "Cache-Control": "no-store" } });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
