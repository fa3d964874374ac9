import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWebhook } from "@/lib/http/with-webhook.ts";
import { verifyWithEndpoint } from "@/lib/integrations/find-endpoint.ts";
import { parseIntegrationName } from "@/lib/integrations/providers.ts";
import { publicUrl } from "@/lib/integrations/public-url.ts";
import { receiveDelivery } from "@/lib/integrations/receive-delivery.ts";
import { EMPTY_TWIML } from "@/lib/integrations/twilio/twiml.ts";

/**
 * The workspace's Twilio messages, statuses and calls (API.md "Webhooks"): raw form body → X-Twilio-Signature
 * over APP_URL + path + query and the sorted parameters (SDK, the account's Auth Token) → record → dispatch.
 * Answered with empty TwiML, replays and ignored deliveries alike: OneThread never replies on Twilio's behalf.
 */
export const POST = withWebhook(
  async ({ req, raw, params, db }) => {
    const workspaceId = params.workspaceId ?? "";
    const integration = parseIntegrationName("twilio");
    const verified = await verifyWithEndpoint(db, workspaceId, "twilio", "default", (secret) =>
      integration.module.verify(secret, req.headers, raw, Date.now(), publicUrl(req)),
    );
    return verified ? { workspaceId, integration, ...verified } : false;
  },
  async ({ req, raw, db, verified }) => {
    const { workspaceId, integration, ...signature } = verified;
    await receiveDelivery(db, workspaceId, integration, signature, req, raw);
    return new Response(EMPTY_TWIML, {
      headers: { "Content-Type": "text/xml; charset=utf-8", "Cache-Control": "no-store" },
    });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
