import { GettingStarted } from "@/components/reports/getting-started.tsx";
import { NudgesPanel } from "@/components/reports/nudges-panel.tsx";
import { OverviewView } from "@/components/reports/overview-view.tsx";
import { RangePicker } from "@/components/reports/range-picker.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { openNudges } from "@/lib/nudges/list-nudges.ts";
import { overviewReport } from "@/lib/reports/overview-report.ts";
import { pageRange } from "@/lib/reports/report-range.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";

type Search = Promise<{ range?: string; from?: string; to?: string }>;

export default async function Overview({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Search;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const range = pageRange(await searchParams, workspace.timezone);
  const [data, nudges] = await Promise.all([
    overviewReport(reportSql(getDb()), workspace.id, range),
    openNudges(getDb(), workspace.id),
  ]);
  const empty = data.now.people === 0 && data.totals.signals === 0;
  return (
    <div className="max-w-6xl space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{workspace.name}</h1>
          <p className="mt-1 text-sm text-slate-500">
            Times shown in {workspace.timezone} · {workspace.region.toUpperCase()} region
          </p>
        </div>
        <RangePicker
          path={`/app/${workspace.slug}`}
          preset={range.preset}
          fromDay={range.fromDay}
          toDay={range.toDay}
        />
      </div>
      {empty ? <GettingStarted workspaceId={workspace.id} /> : null}
      {nudges.count || !empty ? (
        <NudgesPanel slug={workspace.slug} zone={workspace.timezone} count={nudges.count} items={nudges.items} />
      ) : null}
      <OverviewView slug={workspace.slug} data={data} />
      {empty ? null : <GettingStarted workspaceId={workspace.id} />}
    </div>
  );
}
