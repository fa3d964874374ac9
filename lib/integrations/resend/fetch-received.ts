import type { GetReceivingEmailResponseSuccess } from "resend";
import type { Db } from "../../db/client.ts";
import { resendAccount, resendClient, resendError, resendLimits } from "./client.ts";

export type ReceivedEmail = GetReceivingEmailResponseSuccess;

/**
 * The whole of an inbound email (`email.received` carries metadata only, INTEGRATIONS.md 3.4): `GET
 * /emails/receiving/{id}` on the workspace's Resend with its API key, inline images as `cid:` references rather
 * than data URIs. A failure or a timeout is a 502: the webhook answers it, so Resend retries the delivery.
 */
export async function fetchReceivedEmail(db: Db, workspaceId: string, emailId: string): Promise<ReceivedEmail> {
  const { apiKey } = await resendAccount(db, workspaceId);
  const signal = AbortSignal.timeout(resendLimits.timeoutMs);
  const { data, error } = await resendClient(apiKey).emails.receiving.get(emailId, { html_format: "cid" }, { signal });
  if (error || !data) throw resendError("to hand over the received email", error ?? {}, signal.aborted);
  return data;
}
