import type { Metadata } from "next";
import { GaComparisonView } from "@/components/reports/ga-comparison-view.tsx";
import { RangePicker } from "@/components/reports/range-picker.tsx";
import { ReportTabs } from "@/components/reports/report-tabs.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { gaComparison } from "@/lib/reports/ga-comparison.ts";
import { pageRange } from "@/lib/reports/report-range.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";

export const metadata: Metadata = { title: "GA comparison" };

type Search = Promise<{ range?: string; from?: string; to?: string }>;

export default async function GaComparisonPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Search;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const range = pageRange(await searchParams, workspace.timezone);
  const report = await gaComparison(reportSql(getDb()), workspace, range);
  return (
    <div className="max-w-5xl space-y-5">
      <ReportTabs slug={workspace.slug} current="/reports/ga-comparison" />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">What Google Analytics cannot tell you</h1>
          <p className="mt-1 text-sm text-slate-500">
            Eight questions, answered from your own signals. Days in {workspace.timezone}.
          </p>
        </div>
        <RangePicker
          path={`/app/${workspace.slug}/reports/ga-comparison`}
          preset={range.preset}
          fromDay={range.fromDay}
          toDay={range.toDay}
        />
      </div>
      <GaComparisonView name={workspace.name} report={report} />
    </div>
  );
}
