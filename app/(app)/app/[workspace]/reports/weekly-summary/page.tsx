import type { Metadata } from "next";
import Link from "next/link";
import { EmailFrame } from "@/components/reports/email-frame.tsx";
import { ReportsNav } from "@/components/reports/reports-nav.tsx";
import { SummarySwitch } from "@/components/reports/summary-switch.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { summaryPreview } from "@/lib/summary/summary-preview.ts";

export const metadata: Metadata = { title: "Friday summary" };

/** The Friday summary email of a week, exactly as it is sent, with the member's own switch (decision 018). */
export default async function WeeklySummaryPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<{ week?: string }>;
}) {
  const { workspace, user } = await requireMember((await params).workspace);
  const p = await summaryPreview(getDb(), workspace, user.id, (await searchParams).week);
  const base = `/app/${workspace.slug}/reports/weekly-summary`;
  return (
    <div className="max-w-5xl space-y-5">
      <ReportsNav slug={workspace.slug} current="/reports/weekly-summary" />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Friday summary</h1>
          <p className="mt-1 text-sm text-slate-500">
            The email every member gets on Fridays at 5 pm ({workspace.timezone}): {p.label}.
          </p>
        </div>
        <nav aria-label="Weeks" className="flex items-center gap-2 text-sm">
          <Link
            className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
            href={`${base}?week=${p.previousWeek}`}
          >
            ← {p.previousWeek}
          </Link>
          <span className="font-medium" data-testid="summary-week">
            {p.week}
          </span>
          {p.nextWeek ? (
            <Link
              className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-50"
              href={`${base}?week=${p.nextWeek}`}
            >
              {p.nextWeek} →
            </Link>
          ) : null}
        </nav>
      </div>
      {p.error ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {p.error}
        </p>
      ) : null}
      <SummarySwitch slug={workspace.slug} on={p.subscribed} />
      <p className="text-sm text-slate-500">
        {p.sentAt
          ? `Sent to you ${p.sentAt}.`
          : p.upcoming
            ? "This week's email goes out on Friday at 5 pm."
            : "Not sent to you for this week."}{" "}
        Subject: <span className="text-slate-700">{p.subject}</span>
      </p>
      <EmailFrame title="The summary email" html={p.html} />
    </div>
  );
}
