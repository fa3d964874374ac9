import { encrypt } from "../crypto/keys.ts";
import { sha256Hex } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { createEmailSend } from "../email-tracking/create-email-send.ts";
import { AppError } from "../errors.ts";
import { liveProfileIdOr404 } from "../identity/live-profile-id.ts";
import { resendAccount } from "../integrations/resend/client.ts";
import { assertMaySend } from "../privacy/channel-opt-outs.ts";
import { emailTrackingDecision } from "../privacy/email-tracking-consent.ts";
import { preferencesFooterUrl } from "../privacy/preferences/tokens.ts";
import { htmlToText } from "./html-to-text.ts";
import { logSentEmail, STORED_SEND } from "./log-sent-email.ts";
import { recipientOf } from "./recipient.ts";
import type { SendEmailInput } from "./schemas.ts";
import { deliverThroughResend } from "./send-through-resend.ts";
import { trackedParts } from "./track-content.ts";

export interface SentEmail {
  /** The EmailSend's id. */
  id: string;
  /** Resend's email id. */
  providerId: string;
  /** The answer of an earlier request with the same Idempotency-Key. */
  replayed?: true;
}

/** A send still `sending` after this long was cut off (a crash mid-call): the same key may try it again. */
const STALE_SENDING_MS = 2 * 60_000;

/** The html kept (sealed) with the thread's copy of the mail; the text is kept whole. */
const MAX_KEPT_HTML = 64 * 1024;

const inProgress = () =>
  new AppError("conflict", 409, "A send with this Idempotency-Key is in progress; retry in a moment for its answer.");

/**
 * POST /api/v1/emails: tracked mail to a person on the workspace's own Resend. Refused with nothing sent when
 * Resend is not connected (409 `integration_missing`), the person opted out of email or of this purpose (409
 * `opted_out`), or has no address (422 `no_email`). Every mail carries the one-click unsubscribe headers
 * (RFC 8058) for a token tied to the person and purpose; the pixel and `/l/` links only where P8 allows.
 * The attempt is recorded before Resend is called; Resend's error or silence is a 502 with its message and
 * the attempt kept as `failed`. The same Idempotency-Key again answers the same send, or — after a failure —
 * tries it again with the very request sent before (and Resend's own idempotency key), so a timed-out send
 * that did go out is never sent twice.
 */
export async function sendEmail(
  db: Db,
  workspaceId: string,
  input: SendEmailInput,
  idempotencyKey: string | null,
): Promise<SentEmail> {
  const profileId = await liveProfileIdOr404(db, workspaceId, input.profileId);
  const requestHash = sha256Hex(
    JSON.stringify([input.profileId, input.subject, input.html, input.text, input.purpose]),
  );
  const earlier = idempotencyKey
    ? await db.emailSend.findUnique({
        where: { workspaceId_idempotencyKey: { workspaceId, idempotencyKey } },
        select: STORED_SEND,
      })
    : null;
  if (earlier) {
    if (earlier.requestHash !== requestHash)
      throw new AppError(
        "conflict",
        409,
        "This Idempotency-Key was used for another email; use a new key for a new email.",
      );
    if (earlier.status === "sending" && Date.now() - earlier.sentAt.getTime() < STALE_SENDING_MS) throw inProgress();
    if (earlier.status !== "sending" && earlier.status !== "failed" && earlier.providerId) {
      await logSentEmail(db, workspaceId, earlier);
      return { id: earlier.id, providerId: earlier.providerId, replayed: true };
    }
  }
  const account = await resendAccount(db, workspaceId);
  await assertMaySend(db, workspaceId, profileId, "email", input.purpose);
  if (earlier?.payloadEnc) {
    const claimed = await db.emailSend.updateMany({
      where: { id: earlier.id, status: { in: ["failed", "sending"] }, sentAt: earlier.sentAt },
      data: { status: "sending", sentAt: new Date(), error: null },
    });
    if (!claimed.count) throw inProgress();
    return deliverThroughResend(db, workspaceId, account, { ...earlier, profileId });
  }
  // A failed attempt that never reached Resend (its request was not made yet) holds nothing to send again.
  if (earlier) await db.emailSend.deleteMany({ where: { id: earlier.id, payloadEnc: null, providerId: null } });
  const recipient = await recipientOf(db, workspaceId, profileId);
  const decision = await emailTrackingDecision(db, workspaceId, profileId);
  let row: Awaited<ReturnType<typeof createEmailSend>>;
  try {
    row = await createEmailSend(db, {
      workspaceId,
      profileId,
      kind: input.purpose,
      subject: input.subject,
      status: "sending",
      toHash: recipient.hash,
      tracked: decision.track,
      idempotencyKey,
      requestHash,
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw inProgress();
    throw error;
  }
  const sealed = await sealedRequest(db, input, account.from, recipient.address, row, {
    workspaceId,
    profileId,
    track: decision.track,
  }).catch(async (error: unknown) => {
    await db.emailSend.update({
      where: { id: row.id },
      data: { status: "failed", error: "Preparing the email failed." },
    });
    throw error;
  });
  const stored = await db.emailSend.update({
    where: { id: row.id },
    data: { payloadEnc: sealed },
    select: STORED_SEND,
  });
  return deliverThroughResend(db, workspaceId, account, stored);
}

/** The request for Resend (tracked parts, one-click unsubscribe headers) and the thread's copy, sealed. */
async function sealedRequest(
  db: Db,
  input: SendEmailInput,
  from: string,
  to: string,
  row: { id: string; pixelUrl: string; unsubscribeUrl: string },
  o: { workspaceId: string; profileId: string; track: boolean },
): Promise<string> {
  const parts = await trackedParts(
    db,
    { html: input.html, text: input.text },
    {
      ...o,
      pixelUrl: row.pixelUrl,
      unsubscribeUrl: row.unsubscribeUrl,
      marketing: input.purpose === "marketing",
      preferencesUrl: preferencesFooterUrl(o.workspaceId, o.profileId),
    },
  );
  const text = input.text?.trim() ? input.text : htmlToText(input.html ?? "");
  return encrypt(
    JSON.stringify({
      request: {
        from,
        to: [to],
        subject: input.subject,
        ...parts,
        headers: {
          "List-Unsubscribe": `<${row.unsubscribeUrl}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tags: [{ name: "onethread_send", value: row.id }],
      },
      thread: {
        subject: input.subject,
        text,
        ...(input.html && input.html.length <= MAX_KEPT_HTML ? { html: input.html } : {}),
      },
    }),
  );
}
