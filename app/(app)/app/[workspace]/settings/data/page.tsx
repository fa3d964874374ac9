import type { Metadata } from "next";
import Link from "next/link";
import { PurgeSummary } from "@/components/settings/purge-status.tsx";
import { WorkspaceExport } from "@/components/settings/workspace-export.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { nextCronTime, parseCron } from "@/lib/jobs/cron-schedule.ts";
import { findJob } from "@/lib/jobs/registry.ts";
import { lastPurge, PURGE_JOB } from "@/lib/privacy/purge-expired.ts";

export const metadata: Metadata = { title: "Data" };

export default async function DataPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireMember((await params).workspace);
  const db = getDb();
  const [last, settings] = await Promise.all([
    lastPurge(db, workspace.id),
    db.workspace.findUnique({ where: { id: workspace.id }, select: { customerRetentionMonths: true } }),
  ]);
  const schedule = findJob(PURGE_JOB)?.schedule ?? "30 3 * * *";
  const next = nextCronTime(parseCron(schedule), new Date());
  const tz = workspace.timezone;
  const customers = settings?.customerRetentionMonths;
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Data</h1>
      <Card
        title="Export"
        description="Everything this workspace holds, readable (names, emails, phone numbers and message text), as a file."
      >
        <WorkspaceExport slug={workspace.slug} canExport={role === "owner"} />
      </Card>
      <Card title="Retention" description="How long OneThread keeps your customers' events (PRIVACY.md P14).">
        <div className="space-y-3 text-sm text-slate-700">
          <p>
            Events older than <strong>{workspace.retentionMonths} months</strong>
            {customers && customers > workspace.retentionMonths ? (
              <>
                {" "}
                (<strong>{customers} months</strong> for paying customers)
              </>
            ) : null}{" "}
            are deleted every night, with the messages they carried; people left with nothing are removed entirely.
            Counts in reports follow what is kept; opt-outs are never forgotten.
          </p>
          <p data-testid="purge-summary">
            <PurgeSummary last={last} timeZone={tz} />
          </p>
          {next ? (
            <p className="text-slate-500">
              Next purge: {next.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: tz })} (
              {tz.replace(/_/g, " ")}).
            </p>
          ) : null}
          <p>
            <Link href={`/app/${workspace.slug}/settings`} className="font-medium text-brand-700 hover:underline">
              Change how long data is kept
            </Link>
          </p>
        </div>
      </Card>
    </div>
  );
}
