import twilio from "twilio";
import type { TwilioAccount, TwilioSender } from "./account.ts";
import { twilioClient } from "./client.ts";

export interface TwilioSend {
  channel: "sms" | "whatsapp";
  /** E.164. */
  to: string;
  /** `senderOf(account, channel)`. */
  sender: TwilioSender;
  body: string;
  statusCallback: string;
}

/** What Twilio answered: the message it queued, or why it did not. */
export type TwilioSendResult =
  | { ok: true; sid: string; status: string }
  | {
      ok: false;
      /** Twilio's own sentence, or what happened on the way (timeout, refused connection). */
      message: string;
      /** Twilio's error code (21211 invalid 'To', 21610 unsubscribed recipient…), when it answered one. */
      code: number | null;
      httpStatus: number | null;
      /** Twilio answered (a refusal), as against never answering or not being reachable. */
      answered: boolean;
    };

/** Twilio's error for a recipient who replied STOP to the sender: Twilio itself refuses to send to them. */
export const UNSUBSCRIBED_RECIPIENT = 21610;

/**
 * One `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` through the SDK (form-encoded To, From or
 * MessagingServiceSid, Body, StatusCallback; basic auth Sid:AuthToken). Never throws for what Twilio or the
 * network did: the caller records the attempt either way.
 */
export async function createTwilioMessage(account: TwilioAccount, send: TwilioSend): Promise<TwilioSendResult> {
  const prefix = send.channel === "whatsapp" ? "whatsapp:" : "";
  try {
    const message = await twilioClient(account.accountSid, account.authToken).messages.create({
      to: `${prefix}${send.to}`,
      ...send.sender,
      body: send.body,
      statusCallback: send.statusCallback,
    });
    return { ok: true, sid: message.sid, status: message.status ?? "queued" };
  } catch (error) {
    if (error instanceof twilio.RestException)
      return {
        ok: false,
        message: error.message || `Twilio answered HTTP ${error.status}`,
        code: typeof error.code === "number" ? error.code : null,
        httpStatus: error.status ?? null,
        answered: true,
      };
    const e = error as { code?: string; message?: string };
    const timedOut = e.code === "ECONNABORTED" || e.code === "ETIMEDOUT" || /timeout/i.test(e.message ?? "");
    return {
      ok: false,
      message: timedOut
        ? `Twilio did not answer in time (${e.message ?? "timeout"})`
        : `Twilio could not be reached (${(e.message ?? String(error)).slice(0, 300)})`,
      code: null,
      httpStatus: null,
      answered: false,
    };
  }
}
