import type { Metadata } from "next";
import { RangePicker } from "@/components/reports/range-picker.tsx";
import { RefundsView } from "@/components/reports/refunds-view.tsx";
import { ReportsNav } from "@/components/reports/reports-nav.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { listRefunds } from "@/lib/reports/refunds.ts";
import { pageRange } from "@/lib/reports/report-range.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";

export const metadata: Metadata = { title: "Refunds" };

type Search = Promise<{ range?: string; from?: string; to?: string }>;

export default async function RefundsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Search;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const range = pageRange(await searchParams, workspace.timezone);
  const report = await listRefunds(reportSql(getDb()), workspace.id, range);
  return (
    <div className="max-w-4xl space-y-5">
      <ReportsNav slug={workspace.slug} current="/reports/refunds" />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Refunds and cancellations</h1>
          <p className="mt-1 text-sm text-slate-500">
            What the customer said around each one. Days in {workspace.timezone}.
          </p>
        </div>
        <RangePicker
          path={`/app/${workspace.slug}/reports/refunds`}
          preset={range.preset}
          fromDay={range.fromDay}
          toDay={range.toDay}
        />
      </div>
      <RefundsView report={report} slug={workspace.slug} timeZone={workspace.timezone} />
    </div>
  );
}
