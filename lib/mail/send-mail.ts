import { Resend } from "resend";
import { env, mailDelivery } from "../config/env.ts";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";

export interface Mail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  workspaceId?: string | null;
  /** Resend's Idempotency-Key: the same key again within 24 h is the same mail, not a second one. */
  idempotencyKey?: string;
}

export const MAIL_NOT_SET_UP =
  "Email isn't set up on this server: ask the admin to set RESEND_API_KEY. Logging in with a password still works.";

let refusalLogged = false;

/**
 * Sends one email through Resend, or — without RESEND_API_KEY, in development, tests or with the DEV_OUTBOX=1
 * opt-in — keeps it in the dev outbox (/dev/outbox), so a developer and the tests can read magic links and
 * invitations without a mail provider. A production server without a key refuses (503, logged once) rather
 * than pretend: a mail kept in an outbox nobody may read would be a silent loss.
 * Resend reports failures in its answer instead of throwing: they are turned into errors here.
 */
export async function sendMail(db: Tx, mail: Mail): Promise<{ id: string; via: "resend" | "outbox" }> {
  const e = env();
  const delivery = mailDelivery();
  if (delivery === "none") {
    if (!refusalLogged) {
      refusalLogged = true;
      console.error(
        "OneThread: an email was not sent because RESEND_API_KEY is not set. Set it (and EMAIL_FROM) to send login links and invitations.",
      );
    }
    throw new AppError("service_unavailable", 503, MAIL_NOT_SET_UP);
  }
  if (delivery === "outbox") {
    const row = await db.outboxEmail.create({
      data: {
        workspaceId: mail.workspaceId ?? null,
        to: mail.to,
        from: e.EMAIL_FROM,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        headers: mail.headers ?? {},
      },
      select: { id: true },
    });
    return { id: row.id, via: "outbox" };
  }
  // RESEND_BASE_URL points the SDK at another host (a local fake in tests); unset, it is Resend's API.
  const resend = new Resend(e.RESEND_API_KEY, { baseUrl: e.RESEND_BASE_URL?.replace(/\/$/, "") });
  const { data, error } = await resend.emails.send(
    {
      from: e.EMAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: mail.headers,
    },
    mail.idempotencyKey ? { idempotencyKey: mail.idempotencyKey } : undefined,
  );
  if (error || !data) throw new Error(`Resend refused the email: ${error?.message ?? "no answer"}`);
  return { id: data.id, via: "resend" };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/** A plain, readable transactional email with one button. */
export function buttonEmail(opts: { heading: string; body: string; action: string; url: string; footer?: string }) {
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f8fafc;padding:24px">
<div style="max-width:480px;margin:auto;background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:28px">
<h1 style="font-size:20px;margin:0 0 12px">${escapeHtml(opts.heading)}</h1>
<p style="color:#334155;line-height:1.5">${escapeHtml(opts.body)}</p>
<p style="margin:24px 0"><a href="${escapeHtml(opts.url)}" style="background:#2f6fed;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none">${escapeHtml(opts.action)}</a></p>
<p style="color:#64748b;font-size:13px">${escapeHtml(opts.footer ?? "If you did not ask for this, ignore this email.")}</p>
</div></body></html>`;
  const text = `${opts.heading}\n\n${opts.body}\n\n${opts.action}: ${opts.url}\n\n${opts.footer ?? "If you did not ask for this, ignore this email."}\n`;
  return { html, text };
}
