import { appUrl } from "../config/env.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { reportSql } from "../reports/report-sql.ts";
import { renderSummaryEmail, weekLabel } from "./summary-email.tsx";
import { summaryUnsubscribeUrl } from "./summary-subscription.ts";
import { latestWeek, parseWeek, shiftWeek } from "./summary-week.ts";
import { weeklySummary } from "./weekly-summary.ts";

/**
 * The preview page's content: the week's email as it is sent to this member (the same figures, the same
 * render), the weeks around it, and whether the member gets it. A week that is not a week (an edited URL)
 * shows the latest one, saying so.
 */
export async function summaryPreview(
  db: Db,
  workspace: { id: string; slug: string; name: string; timezone: string },
  userId: string,
  requested: string | undefined,
  now = new Date(),
) {
  const latest = latestWeek(now, workspace.timezone);
  const current = shiftWeek(latest, 1);
  const valid = requested !== undefined && parseWeek(requested) !== null && requested <= current;
  const week = valid ? requested : latest;
  const error =
    requested !== undefined && !valid
      ? `"${requested}" is not a week to show (write it 2026-W49); showing ${latest}.`
      : null;
  const [summary, membership, sent] = await Promise.all([
    weeklySummary(reportSql(db), workspace, week),
    db.membership.findUnique({
      where: { userId_workspaceId: { userId, workspaceId: workspace.id } },
      select: { weeklySummary: true },
    }),
    db.summarySend.findUnique({
      where: { workspaceId_userId_week: { workspaceId: workspace.id, userId, week } },
      select: { status: true, sentAt: true },
    }),
  ]);
  if (!membership) throw new AppError("not_found", 404, "No such workspace.");
  const mail = await renderSummaryEmail(summary, {
    unsubscribe: summaryUnsubscribeUrl(workspace.id, userId),
    settings: `${appUrl()}/app/${workspace.slug}/reports/weekly-summary`,
  });
  return {
    week,
    label: weekLabel(summary),
    previousWeek: shiftWeek(week, -1),
    nextWeek: week < current ? shiftWeek(week, 1) : null,
    upcoming: week === current,
    subscribed: membership.weeklySummary,
    sentAt:
      sent?.status === "sent" && sent.sentAt
        ? sent.sentAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: workspace.timezone })
        : null,
    error,
    subject: mail.subject,
    html: mail.html,
  };
}
