import { decrypt } from "../../crypto/keys.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";

/** What a send needs of the workspace's connected Twilio (provider.ts `connect`). */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  fromNumber?: string;
  whatsappFrom?: string;
  messagingServiceSid?: string;
}

const missing = (what: string) =>
  new AppError(
    "integration_missing",
    409,
    `${what}: connect it in Settings → Integrations → Twilio (or PUT /api/v1/integrations/twilio). Nothing was sent.`,
  );

/** The workspace's Twilio account, or 409 `integration_missing`. */
export async function twilioAccount(db: Db, workspaceId: string): Promise<TwilioAccount> {
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { workspaceId_provider_name: { workspaceId, provider: "twilio", name: "default" } },
    select: { secretEnc: true, config: true },
  });
  const config = (endpoint?.config ?? {}) as Partial<Omit<TwilioAccount, "authToken">>;
  if (!endpoint || !config.accountSid) throw missing("Twilio is not connected to this workspace");
  return { ...config, accountSid: config.accountSid, authToken: decrypt(endpoint.secretEnc) };
}

export type TwilioSender = { from: string } | { messagingServiceSid: string };

/**
 * Who a message on this channel is sent from: WhatsApp from the WhatsApp sender (`whatsapp:+1…`), else through
 * the Messaging Service (its WhatsApp senders); SMS through the Messaging Service when there is one (it picks
 * the number from its pool, as Twilio recommends), else from the SMS number. Neither: 409, as for no Twilio.
 */
export function senderOf(account: TwilioAccount, channel: "sms" | "whatsapp"): TwilioSender {
  if (channel === "whatsapp") {
    if (account.whatsappFrom) return { from: `whatsapp:${account.whatsappFrom}` };
    if (account.messagingServiceSid) return { messagingServiceSid: account.messagingServiceSid };
    throw missing("Twilio is connected without a WhatsApp sender: add the WhatsApp sender or a Messaging Service");
  }
  if (account.messagingServiceSid) return { messagingServiceSid: account.messagingServiceSid };
  if (account.fromNumber) return { from: account.fromNumber };
  throw missing("Twilio is connected without an SMS number: add the SMS number or a Messaging Service");
}
