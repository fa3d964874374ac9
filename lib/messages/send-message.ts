import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { AppError, badRequest } from "../errors.ts";
import { liveProfileIdOr404 } from "../identity/live-profile-id.ts";
import { prepareIdentity } from "../identity/prepare-identity.ts";
import { identityContext, loadWorkspaceForIngest } from "../ingest/load-workspace.ts";
import { senderOf, twilioAccount } from "../integrations/twilio/account.ts";
import { createTwilioMessage, UNSUBSCRIBED_RECIPIENT } from "../integrations/twilio/create-message.ts";
import { setChannelOptOut } from "../integrations/twilio/opt-out.ts";
import { webhookUrl } from "../integrations/webhook-url.ts";
import { assertMaySend } from "../privacy/channel-opt-outs.ts";
import { redactText } from "../privacy/redact-url.ts";
import { catchUpStatuses } from "./catch-up-statuses.ts";
import { recordSend } from "./record-send.ts";
import { MAX_BODY, type SendMessageInput } from "./schemas.ts";
import { withStopLine } from "./stop-line.ts";

const LABEL = { sms: "SMS", whatsapp: "WhatsApp message" } as const;

export interface SentMessage {
  /** The Message in the person's thread. */
  id: string;
  status: "queued";
  /** Twilio's message sid. */
  providerId: string;
}

/** The number a message to this person goes to: their most recently seen readable phone, or 422 `no_phone`. */
async function phoneOf(db: Db, workspaceId: string, profileId: string): Promise<string> {
  const phone = await db.identifier.findFirst({
    where: { workspaceId, profileId, type: "phone", valueEnc: { not: null } },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
    select: { valueEnc: true },
  });
  if (!phone?.valueEnc)
    throw new AppError("no_phone", 422, "This person has no phone number on record; nothing was sent.");
  return decrypt(phone.valueEnc);
}

/**
 * POST /api/v1/messages: an SMS or WhatsApp message to a person through the workspace's own Twilio, with the
 * workspace's Twilio webhook as its status callback (later statuses move it forward, message-status.ts).
 * Refused before anything is sent: another workspace's or an unknown person (404), Twilio not connected or no
 * sender for the channel (409 `integration_missing`), no phone (422 `no_phone`), an opt-out of the channel
 * (409 `opted_out`). Every attempt Twilio was asked to make joins the person's thread as `channel/message_out`
 * (the body sealed, P13): queued with Twilio's sid, or failed with Twilio's words, answered 502 `provider_error`.
 */
export async function sendMessage(db: Db, workspaceId: string, input: SendMessageInput): Promise<SentMessage> {
  const profileId = await liveProfileIdOr404(sqlOf(db), workspaceId, input.profileId);
  const account = await twilioAccount(db, workspaceId);
  const sender = senderOf(account, input.channel);
  const to = await phoneOf(db, workspaceId, profileId);
  await assertMaySend(db, workspaceId, profileId, input.channel, input.purpose);
  const profile = await db.profile.findFirst({ where: { id: profileId, workspaceId }, select: { optedOutAt: true } });
  if (profile?.optedOutAt)
    throw new AppError(
      "opted_out",
      409,
      `This person opted out of everything on ${profile.optedOutAt.toISOString().slice(0, 10)}; nothing was sent.`,
    );
  const body = withStopLine(input.body, input.purpose);
  if (body.length > MAX_BODY)
    throw badRequest(
      `With "Reply STOP to opt out" added, the message is ${body.length} characters; Twilio sends at most ${MAX_BODY}.`,
      [{ path: "body", message: `must leave room for the opt-out line (at most ${MAX_BODY} characters in all)` }],
    );

  const result = await createTwilioMessage(account, {
    channel: input.channel,
    to,
    sender,
    body,
    statusCallback: webhookUrl(workspaceId, "twilio", "default"),
  });
  const ws = await loadWorkspaceForIngest(db, workspaceId);
  const base = { profileId, channel: input.channel, body, purpose: input.purpose };
  if (result.ok) {
    const id = await recordSend(db, ws, {
      ...base,
      eventId: `twilio_out:${result.sid}`,
      status: "queued",
      providerId: result.sid,
    });
    await catchUpStatuses(db, workspaceId, result.sid);
    return { id, status: "queued", providerId: result.sid };
  }

  await recordSend(db, ws, {
    ...base,
    eventId: `twilio_out_failed:${uuidv7()}`,
    status: "failed",
    // Twilio's words may name the number ("The 'To' number +1… is not valid"): not kept readable (P13).
    error: { message: redactText(result.message).slice(0, 500), ...(result.code ? { code: result.code } : {}) },
  });
  const what = LABEL[input.channel];
  const said = (
    !result.answered
      ? `The ${what} was not sent: ${result.message}`
      : (result.httpStatus ?? 0) >= 500
        ? `Twilio failed while taking the ${what} (HTTP ${result.httpStatus}): ${result.message}`
        : `Twilio refused the ${what}: ${result.message}`
  ).replace(/\.$/, "");
  if (result.code === UNSUBSCRIBED_RECIPIENT) {
    // Twilio keeps its own STOP list per sender; a STOP we never saw (before Twilio was connected here) is
    // written to ours, so the person's page shows it and later sends are refused before reaching Twilio.
    const identifiers = prepareIdentity({ phone: to }, identityContext(ws)).identifiers;
    await setChannelOptOut(db, workspaceId, identifiers, input.channel, true);
    throw new AppError("opted_out", 409, `${said} (the number replied STOP to this sender). The attempt is recorded.`);
  }
  throw new AppError("provider_error", 502, `${said}. The attempt is recorded in the person's thread as failed.`, [
    {
      path: "twilio",
      message:
        [result.code ? `code ${result.code}` : null, result.httpStatus ? `HTTP ${result.httpStatus}` : null]
          .filter(Boolean)
          .join(", ") || "no answer",
    },
  ]);
}
