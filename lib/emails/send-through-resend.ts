import type { CreateEmailOptions } from "resend";
import type { Db } from "../db/client.ts";
import { type ResendAccount, resendClient, resendError, resendLimits } from "../integrations/resend/client.ts";
import { logSentEmail, openSend, STORED_SEND, type StoredSend } from "./log-sent-email.ts";

/**
 * One attempt of a recorded send: its sealed request to Resend (`POST /emails` on the workspace's account,
 * with `Idempotency-Key: onethread-email-<send id>` so a repeat of the same attempt is one mail), within the
 * time limit. Refused or unanswered: the attempt is kept `failed` with Resend's words and answered 502.
 */
export async function deliverThroughResend(
  db: Db,
  workspaceId: string,
  account: ResendAccount,
  send: StoredSend,
): Promise<{ id: string; providerId: string }> {
  const { request } = openSend(send.payloadEnc ?? "");
  const signal = AbortSignal.timeout(resendLimits.timeoutMs);
  const { data, error } = await resendClient(account.apiKey).emails.send(request as unknown as CreateEmailOptions, {
    idempotencyKey: `onethread-email-${send.id}`,
    signal,
  });
  if (error || !data?.id) {
    const failure = resendError("the email", error ?? { message: "an answer without an email id" }, signal.aborted);
    await db.emailSend.update({
      where: { id: send.id },
      data: { status: "failed", error: failure.message.slice(0, 1000) },
    });
    throw failure;
  }
  const sent = await db.emailSend.update({
    where: { id: send.id },
    data: { status: "sent", providerId: data.id.slice(0, 200), sentAt: new Date(), error: null },
    select: STORED_SEND,
  });
  await logSentEmail(db, workspaceId, sent);
  return { id: send.id, providerId: sent.providerId ?? data.id };
}
