import type { Metadata } from "next";
import { LadderView } from "@/components/reports/ladder-view.tsx";
import { RangePicker } from "@/components/reports/range-picker.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { ladderReport } from "@/lib/reports/ladder-report.ts";
import { pageRange } from "@/lib/reports/report-range.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";

export const metadata: Metadata = { title: "Ladder" };

type Search = Promise<{ range?: string; from?: string; to?: string }>;

export default async function LadderPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Search;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const range = pageRange(await searchParams, workspace.timezone);
  const report = await ladderReport(reportSql(getDb()), workspace.id, range);
  return (
    <div className="max-w-4xl space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Ladder</h1>
          <p className="mt-1 text-sm text-slate-500">
            From anonymous device to paying customer: who climbed each rung, and how fast. Days in {workspace.timezone}.
          </p>
        </div>
        <RangePicker
          path={`/app/${workspace.slug}/ladder`}
          preset={range.preset}
          fromDay={range.fromDay}
          toDay={range.toDay}
        />
      </div>
      <LadderView slug={workspace.slug} report={report} />
    </div>
  );
}
