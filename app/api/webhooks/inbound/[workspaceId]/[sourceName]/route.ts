import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWebhook } from "@/lib/http/with-webhook.ts";
import { verifyWithEndpoint } from "@/lib/integrations/find-endpoint.ts";
import { SOURCE_NAME } from "@/lib/integrations/inbound/provider.ts";
import { parseIntegrationName } from "@/lib/integrations/providers.ts";
import { publicUrl } from "@/lib/integrations/public-url.ts";
import { receiveDelivery } from "@/lib/integrations/receive-delivery.ts";

/** A CRM's or scheduler's signed delivery (API.md "Webhooks"): raw body → verify → record → dispatch. */
export const POST = withWebhook(
  async ({ req, raw, params, db }) => {
    const name = params.sourceName ?? "";
    if (!SOURCE_NAME.test(name)) throw notFound("No such webhook endpoint.");
    const workspaceId = params.workspaceId ?? "";
    const integration = parseIntegrationName(`inbound:${name}`);
    const verified = await verifyWithEndpoint(db, workspaceId, "inbound", name, (secret) =>
      integration.module.verify(secret, req.headers, raw, Date.now(), publicUrl(req)),
    );
    return verified ? { workspaceId, integration, ...verified } : false;
  },
  async ({ req, raw, db, verified }) => {
    const { workspaceId, integration, ...signature } = verified;
    const answer = await receiveDelivery(db, workspaceId, integration, signature, req, raw);
    return Response.json(answer, { headers: { "Cache-Control": "no-store" } });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
