import type { CreateEmailOptions } from "resend";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { resendAccount, resendClient, resendError, resendLimits } from "../../integrations/resend/client.ts";
import { buttonEmail, sendMail } from "../../mail/send-mail.ts";
import { LINK_MINUTES } from "./tokens.ts";

/**
 * The verification mail, in the business's name, through the business's own mail: its connected Resend (its
 * sender, its domain), else the app's mail (RESEND_API_KEY, or the dev outbox without one). Plain, with no
 * pixel, no tracked links and no footer: it is about the person's data, not a message of the business.
 */
export async function sendPreferencesLinkMail(
  db: Db,
  workspace: { id: string; name: string },
  to: string,
  url: string,
): Promise<{ via: "workspace-resend" | "resend" | "outbox" }> {
  const subject = `Your privacy page at ${workspace.name}`;
  const { html, text } = buttonEmail({
    heading: subject,
    body: `Someone asked to see what ${workspace.name} holds about ${to}, download it, delete it or change what they may send. If that was you, open your page: the link works once, within ${LINK_MINUTES} minutes.`,
    action: "Open my privacy page",
    url,
    footer: "If you did not ask for this, ignore this email: nothing changes and nobody sees your data.",
  });
  const account = await resendAccount(db, workspace.id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "integration_missing") return null;
    throw error;
  });
  if (!account) {
    const sent = await sendMail(db, { to, subject, html, text, workspaceId: workspace.id });
    return { via: sent.via };
  }
  const signal = AbortSignal.timeout(resendLimits.timeoutMs);
  const { data, error } = await resendClient(account.apiKey).emails.send(
    { from: account.from, to: [to], subject, html, text } satisfies CreateEmailOptions,
    { signal },
  );
  if (error || !data?.id)
    throw resendError("the privacy link", error ?? { message: "an answer without an email id" }, signal.aborted);
  return { via: "workspace-resend" };
}
