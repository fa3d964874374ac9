import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { sendMessageSchema } from "@/lib/messages/schemas.ts";
import { sendMessage } from "@/lib/messages/send-message.ts";

/** An SMS or WhatsApp message through the workspace's Twilio (API.md): `201 {"id", "status": "queued", "providerId"}`. */
export const POST = withApiKey(
  { scope: "messages:write", body: sendMessageSchema },
  async ({ body, workspaceId, db }) =>
    Response.json(await sendMessage(db, workspaceId, body), { status: 201, headers: { "Cache-Control": "no-store" } }),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
