import type { CreateEmailOptions } from "resend";
import { appUrl } from "../config/env.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { resendAccount, resendClient, resendError, resendLimits } from "../integrations/resend/client.ts";
import type { DuePage, EachWorkspace, WorkspaceSlot } from "../jobs/each-workspace.ts";
import { sendMail } from "../mail/send-mail.ts";
import { reportSql } from "../reports/report-sql.ts";
import { renderSummaryEmail } from "./summary-email.tsx";
import { summaryUnsubscribeUrl } from "./summary-subscription.ts";
import { dueWeek } from "./summary-week.ts";
import { weeklySummary } from "./weekly-summary.ts";

export const SUMMARY_JOB = "weekly-summary";

/** At most this many members get a workspace's summary (a bound on one slot's work). */
const MAX_RECIPIENTS = 50;

const UNSUBSCRIBE_SLOT = "https://unsubscribe.invalid/onethread-summary-slot";

/** A send left "sending" this long was cut off (a crash mid-call): it may be tried again, with the same key. */
const STALE_SENDING = "10 minutes";

/**
 * The workspaces whose summary is due at `now`: where it is Friday, 17:00 or later (the same evening: a server
 * down at 17:00 catches up once later that evening, not the next week), in the workspace's own zone, read with
 * the platform's zone data as every report's local days are (lib/reports/zone.ts), so daylight saving goes both
 * ways. The period is the ISO week of that local Friday. One page of workspaces (id order) at a time.
 */
async function dueWorkspaces(db: Db, now: Date, page: { after: string | null; limit: number }): Promise<DuePage> {
  const rows = await db.workspace.findMany({
    where: page.after ? { id: { gt: page.after } } : {},
    orderBy: { id: "asc" },
    take: page.limit,
    select: { id: true, timezone: true },
  });
  const slots: WorkspaceSlot[] = [];
  for (const w of rows) {
    const week = dueWeek(now, w.timezone);
    if (week) slots.push({ id: w.id, period: week });
  }
  return { slots, next: rows.length < page.limit ? null : (rows.at(-1)?.id ?? null) };
}

export interface WorkspaceSummaryResult {
  week: string;
  recipients: number;
  sent: number;
  /** Already sent this week (a retry after a partial failure). */
  alreadySent: number;
  failed: number;
  /** The figures the mail showed, for the record. */
  figures: { newPeople: number; newCustomers: number; payments: number; waiting: number; refunds: number };
}

/** Claims one member's mail of the week: its SummarySend id, or null when it went out or is going out. */
async function claimSend(db: Db, workspaceId: string, userId: string, week: string): Promise<string | null> {
  const [fresh] = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "SummarySend" (id, "workspaceId", "userId", week, status, "startedAt")
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, 'sending', now())
     ON CONFLICT ("workspaceId", "userId", week) DO NOTHING RETURNING id::text AS id`,
    workspaceId,
    userId,
    week,
  );
  if (fresh) return fresh.id;
  const [again] = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "SummarySend" SET status = 'sending', "startedAt" = now(), error = NULL
     WHERE "workspaceId" = $1::uuid AND "userId" = $2::uuid AND week = $3
       AND (status = 'failed' OR (status = 'sending' AND "startedAt" < now() - interval '${STALE_SENDING}'))
     RETURNING id::text AS id`,
    workspaceId,
    userId,
    week,
  );
  return again?.id ?? null;
}

type Mailer = (mail: {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  idempotencyKey: string;
}) => Promise<string>;

/**
 * The workspace's mail path, as its other mails to people choose it (lib/privacy/preferences/send-link-mail.ts):
 * its connected Resend (its sender, its domain), else the app's mail (RESEND_API_KEY, or the dev outbox).
 */
async function workspaceMailer(db: Db, workspaceId: string): Promise<Mailer> {
  const account = await resendAccount(db, workspaceId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "integration_missing") return null;
    throw error;
  });
  if (!account) return async (mail) => (await sendMail(db, { ...mail, workspaceId })).via;
  return async (mail) => {
    const signal = AbortSignal.timeout(resendLimits.timeoutMs);
    const { idempotencyKey, ...rest } = mail;
    const { data, error } = await resendClient(account.apiKey).emails.send(
      { from: account.from, ...rest, to: [mail.to] } satisfies CreateEmailOptions,
      { idempotencyKey, signal },
    );
    if (error || !data?.id)
      throw resendError("the Friday summary", error ?? { message: "an answer without an email id" }, signal.aborted);
    return "workspace-resend";
  };
}

/**
 * One workspace's Friday summary of `week`: the figures once, then one mail per member who wants it, each
 * claimed before it is sent (SummarySend) so no member gets a week twice, whatever is retried; each with its
 * own one-click unsubscribe (List-Unsubscribe + List-Unsubscribe-Post, RFC 8058). A mail that fails is kept
 * failed and tried again by the next run that evening (the workspace's slot fails with it).
 */
export async function sendWorkspaceSummary(db: Db, workspaceId: string, week: string): Promise<WorkspaceSummaryResult> {
  const workspace = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { id: true, slug: true, name: true, timezone: true },
  });
  const members = await db.membership.findMany({
    where: { workspaceId, weeklySummary: true },
    orderBy: { createdAt: "asc" },
    take: MAX_RECIPIENTS,
    select: { userId: true, user: { select: { email: true } } },
  });
  const summary = await weeklySummary(reportSql(db), workspace, week);
  const result: WorkspaceSummaryResult = {
    week,
    recipients: members.length,
    sent: 0,
    alreadySent: 0,
    failed: 0,
    figures: {
      newPeople: summary.newPeople.total.value,
      newCustomers: summary.customers.new.value,
      payments: summary.deposits.payments.value,
      waiting: summary.unanswered.waiting,
      refunds: summary.refunds.count.value,
    },
  };
  if (!members.length) return result;
  const mailer = await workspaceMailer(db, workspaceId);
  const settings = `${appUrl()}/app/${workspace.slug}/reports/weekly-summary`;
  // Rendered once per workspace: each member's mail differs only in its unsubscribe link (base64url, no markup).
  const mail = await renderSummaryEmail(summary, { unsubscribe: UNSUBSCRIBE_SLOT, settings });
  const forMember = (unsubscribe: string) => ({
    subject: mail.subject,
    html: mail.html.replaceAll(UNSUBSCRIBE_SLOT, unsubscribe),
    text: mail.text.replaceAll(UNSUBSCRIBE_SLOT, unsubscribe),
  });
  let lastError: Error | null = null;
  for (const m of members) {
    const id = await claimSend(db, workspaceId, m.userId, week);
    if (!id) {
      result.alreadySent++;
      continue;
    }
    try {
      const unsubscribe = summaryUnsubscribeUrl(workspaceId, m.userId);
      const via = await mailer({
        to: m.user.email,
        ...forMember(unsubscribe),
        headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
        idempotencyKey: `onethread-summary-${id}`,
      });
      await db.summarySend.update({ where: { id }, data: { status: "sent", via, sentAt: new Date() } });
      result.sent++;
    } catch (error) {
      lastError = error as Error;
      result.failed++;
      await db.summarySend.update({
        where: { id },
        data: { status: "failed", error: String((error as Error).message).slice(0, 1000) },
      });
    }
  }
  if (lastError) throw new Error(`${result.failed} of ${members.length} summaries failed: ${lastError.message}`);
  return result;
}

/** The registry's entry (lib/jobs/registry.ts): hourly, each due workspace under its own (week) slot. */
export const weeklySummaryJob: EachWorkspace = {
  due: dueWorkspaces,
  run: (db, slot) => sendWorkspaceSummary(db, slot.id, slot.period),
};
