import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { Webhook } from "svix";
import twilio from "twilio";
import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { AppError } from "../errors.ts";
import { type IntegrationName, parseIntegrationName } from "./providers.ts";
import { TEST_EVENT_TYPE as RESEND_TEST_EVENT_TYPE } from "./resend/event-types.ts";
import { TEST_EVENT_TYPE } from "./stripe/event-types.ts";
import { TEST_PARAM } from "./twilio/map-delivery.ts";
import { webhookUrl } from "./webhook-url.ts";

/**
 * The settings page's "Send a signed test event": a small OneThread-shaped delivery (`test: true`, so it is
 * verified and logged but stores no person) signed with the source's own secret exactly as a sender must
 * (`X-OneThread-Signature`). For Stripe, an event envelope of type `onethread.test_event` signed as Stripe signs
 * (the SDK's `generateTestHeaderString` with the endpoint's secret), logged as ignored; for Twilio and Resend, the
 * same as they sign (below). The caller posts it
 * through the real webhook route.
 */
export async function signTestDelivery(db: Db, workspaceId: string, rawName: string) {
  const integration = parseIntegrationName(rawName);
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { workspaceId_provider_name: { workspaceId, provider: integration.provider, name: integration.name } },
    select: { secretEnc: true },
  });
  if (!endpoint)
    throw new AppError("integration_missing", 409, `${integration.key} is not connected: connect it first.`);
  const secret = decrypt(endpoint.secretEnc);
  if (integration.provider === "stripe") return stripeTest(workspaceId, integration, secret);
  if (integration.provider === "twilio") return twilioTest(workspaceId, integration, secret);
  if (integration.provider === "resend") return resendTest(workspaceId, integration, secret);
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
  const signature = createHmac("sha256", secret).update(body).digest("hex");
  return {
    integration,
    url: webhookUrl(workspaceId, integration.provider, integration.name),
    body,
    headers: { "content-type": "application/json", "x-onethread-signature": `sha256=${signature}` },
  };
}

function stripeTest(workspaceId: string, integration: IntegrationName, secret: string) {
  const body = JSON.stringify({
    id: `evt_onethread_test_${uuidv7().replaceAll("-", "")}`,
    object: "event",
    type: TEST_EVENT_TYPE,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object: { object: "test", sentFrom: "Settings → Integrations" } },
  });
  return {
    integration,
    url: webhookUrl(workspaceId, integration.provider, integration.name),
    body,
    headers: {
      "content-type": "application/json",
      "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret }),
    },
  };
}

/**
 * A form-encoded inbound message as Twilio posts it, from Twilio's own test number, marked as OneThread's test
 * (logged as ignored), signed as Twilio signs: the SDK's `getExpectedTwilioSignature` over the webhook URL and
 * the parameters, keyed by the workspace's Auth Token.
 */
function twilioTest(workspaceId: string, integration: IntegrationName, authToken: string) {
  const url = webhookUrl(workspaceId, integration.provider, integration.name);
  const params: Record<string, string> = {
    MessageSid: `SM${uuidv7().replaceAll("-", "")}`,
    From: "+15005550006",
    To: "+15005550006",
    Body: "OneThread test event from Settings → Integrations",
    NumMedia: "0",
    SmsStatus: "received",
    ApiVersion: "2010-04-01",
    [TEST_PARAM]: "1",
  };
  return {
    integration,
    url,
    body: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(authToken, url, params),
    },
  };
}

/**
 * A Resend envelope of type `onethread.test_event` (logged as ignored), signed as Resend's Svix signs: the
 * `svix` package's own `Webhook.sign` with the endpoint's secret, a fresh `msg_…` id and the current time.
 */
function resendTest(workspaceId: string, integration: IntegrationName, secret: string) {
  const id = `msg_onethread_test_${uuidv7().replaceAll("-", "")}`;
  const now = new Date();
  const body = JSON.stringify({
    type: RESEND_TEST_EVENT_TYPE,
    created_at: now.toISOString(),
    data: { sentFrom: "Settings → Integrations" },
  });
  return {
    integration,
    url: webhookUrl(workspaceId, integration.provider, integration.name),
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(id, now, body),
    },
  };
}
