import type { Metadata } from "next";
import Link from "next/link";
import { dayLabel } from "@/components/reports/format.ts";
import { ReportsNav } from "@/components/reports/reports-nav.tsx";
import { AddTopic, TopicEditor } from "@/components/reports/topics/topic-editor.tsx";
import { TopicBadges, TopicsView } from "@/components/reports/topics/topics-view.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { isUuid } from "@/lib/db/uuidv7.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";
import { topicMessages, topicsQuery, topicsReport } from "@/lib/reports/topics.ts";
import { BUSINESS_TYPE_LABELS, isBusinessType } from "@/lib/topics/business-types.ts";

export const metadata: Metadata = { title: "Topics" };

const WEEKS = [4, 8, 12];

export default async function TopicsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<{ weeks?: string; topic?: string }>;
}) {
  const { workspace, role } = await requireMember((await params).workspace);
  const sp = await searchParams;
  const parsed = topicsQuery.safeParse({ weeks: sp.weeks });
  const query = parsed.success ? parsed.data : topicsQuery.parse({});
  const sql = reportSql(getDb());
  const report = await topicsReport(sql, workspace, query);
  const base = `/app/${workspace.slug}/reports/topics`;
  const selectedId = sp.topic && isUuid(sp.topic) ? sp.topic : null;
  const selected = selectedId
    ? await topicMessages(sql, workspace.id, selectedId, { from: report.from, to: report.to }).catch(() => null)
    : null;
  const row = selected ? report.topics.find((t) => t.id === selected.topic.id) : null;
  const type = isBusinessType(workspace.businessType) ? BUSINESS_TYPE_LABELS[workspace.businessType] : null;
  return (
    <div className="max-w-5xl space-y-5">
      <ReportsNav slug={workspace.slug} current="/reports/topics" />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">What customers ask about</h1>
          <p className="mt-1 text-sm text-slate-500">
            Messages, email replies and forms from {dayLabel(report.from)} to {dayLabel(report.to)}, against the weeks
            before. Days in {workspace.timezone}. Vocabulary: {type ?? "general"}{" "}
            {role === "owner" ? (
              <Link href={`/app/${workspace.slug}/settings`} className="text-brand-700 hover:underline">
                (business type in Settings)
              </Link>
            ) : null}
          </p>
        </div>
        <nav aria-label="Weeks" className="inline-flex rounded-lg bg-slate-100 p-0.5 text-sm">
          {WEEKS.map((w) => (
            <Link
              key={w}
              href={`${base}?weeks=${w}`}
              aria-current={report.weeks === w ? "page" : undefined}
              className={`rounded-md px-2.5 py-1.5 whitespace-nowrap ${report.weeks === w ? "bg-white font-medium text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"}`}
            >
              {w} weeks
            </Link>
          ))}
        </nav>
      </div>
      {selected ? (
        <Card
          title={selected.topic.label}
          description={
            <>
              {row ? `${row.count} this week, ${row.previousCount} the week before. ` : null}
              <Link href={`${base}?weeks=${report.weeks}`} className="text-brand-700 hover:underline">
                All topics
              </Link>
            </>
          }
          actions={
            <TopicBadges
              t={{ emerging: row?.emerging ?? false, offered: selected.topic.offered, kind: selected.topic.kind }}
            />
          }
        >
          <h2 className="sr-only">Messages</h2>
          <ul className="divide-y divide-slate-100" data-testid="topic-messages">
            {selected.messages.length ? (
              selected.messages.map((m) => (
                <li key={m.eventId} className="py-3">
                  <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
                    <Link
                      href={`/app/${workspace.slug}/people/${m.profileId}`}
                      className="font-medium text-brand-700 hover:underline"
                    >
                      {m.person}
                    </Link>
                    <span className="text-xs text-slate-500">
                      {m.via ? `via ${m.via} · ` : ""}
                      {m.occurredAt.toLocaleString("en-US", {
                        dateStyle: "medium",
                        timeStyle: "short",
                        timeZone: workspace.timezone,
                      })}
                    </span>
                  </p>
                  <p className="mt-1 whitespace-pre-line break-words text-sm text-slate-800">
                    {m.text ?? "(text unavailable)"}
                  </p>
                </li>
              ))
            ) : (
              <li className="py-3 text-sm text-slate-500">No messages about this topic in the report's week.</li>
            )}
          </ul>
          {role === "owner" ? (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <TopicEditor
                slug={workspace.slug}
                topic={selected.topic}
                back={`${base}?weeks=${report.weeks}`}
                others={report.topics
                  .filter((t) => t.id !== selected.topic.id)
                  .map((t) => ({ id: t.id, label: t.topic }))}
              />
            </div>
          ) : null}
        </Card>
      ) : null}
      <TopicsView report={report} base={base} selected={selected?.topic.id ?? null} />
      {role === "owner" ? (
        <Card title="Add a topic" description="Something you want counted that is not on the list yet.">
          <AddTopic slug={workspace.slug} />
        </Card>
      ) : null}
    </div>
  );
}
