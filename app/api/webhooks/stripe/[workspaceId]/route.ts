import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWebhook } from "@/lib/http/with-webhook.ts";
import { verifyWithEndpoint } from "@/lib/integrations/find-endpoint.ts";
import { parseIntegrationName } from "@/lib/integrations/providers.ts";
import { publicUrl } from "@/lib/integrations/public-url.ts";
import { receiveDelivery } from "@/lib/integrations/receive-delivery.ts";

/** The workspace's Stripe events (API.md "Webhooks"): raw body → Stripe-Signature (SDK, 300 s) → record → dispatch. */
export const POST = withWebhook(
  async ({ req, raw, params, db }) => {
    const workspaceId = params.workspaceId ?? "";
    const integration = parseIntegrationName("stripe");
    const verified = await verifyWithEndpoint(db, workspaceId, "stripe", "default", (secret) =>
      integration.module.verify(secret, req.headers, raw, Date.now(), publicUrl(req)),
    );
    return verified ? { workspaceId, integration, ...verified } : false;
  },
  async ({ req, raw, db, verified }) => {
    const { workspaceId, integration, ...signature } = verified;
    const answer = await receiveDelivery(db, workspaceId, integration, signature, req, raw);
    return Response.json({ received: true, ...answer }, { headers: { "Cache-Control": "no-store" } });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
