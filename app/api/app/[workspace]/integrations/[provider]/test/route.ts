import { POST as receiveInbound } from "@/app/api/webhooks/inbound/[workspaceId]/[sourceName]/route.ts";
import { POST as receiveResend } from "@/app/api/webhooks/resend/[workspaceId]/route.ts";
import { POST as receiveStripe } from "@/app/api/webhooks/stripe/[workspaceId]/route.ts";
import { POST as receiveTwilio } from "@/app/api/webhooks/twilio/[workspaceId]/route.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { signTestDelivery } from "@/lib/integrations/sign-test-delivery.ts";

const PROVIDERS: Record<string, typeof receiveInbound> = {
  stripe: receiveStripe,
  twilio: receiveTwilio,
  resend: receiveResend,
};

/**
 * "Send a signed test event": the server signs a test delivery with the integration's secret and hands it to
 * the webhook route itself (in process, so APP_URL need not be reachable from the server), which verifies,
 * records and answers it as any sender's. Its answer is passed on: 200 and the log shows it.
 */
export const POST = withWorkspace({ ownerOnly: true }, async ({ params, workspace, db }) => {
  const test = await signTestDelivery(db, workspace.id, params.provider ?? "");
  const req = new Request(test.url, { method: "POST", headers: test.headers, body: test.body });
  const receive = PROVIDERS[test.integration.provider] ?? receiveInbound;
  const res = await receive(req, {
    params: Promise.resolve({ workspaceId: workspace.id, sourceName: test.integration.name }),
  });
  // Twilio is answered with TwiML: passed on as text.
  const answer = res.headers.get("content-type")?.includes("json") ? await res.json() : { body: await res.text() };
  return Response.json({ status: res.status, answer }, { status: res.ok ? 200 : 502 });
});

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
