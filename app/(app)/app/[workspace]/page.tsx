import { CopyBlock } from "@/components/settings/site-snippet.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { appUrl } from "@/lib/config/env.ts";
import { getDb } from "@/lib/db/client.ts";

export default async function Overview({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requireMember((await params).workspace);
  const db = getDb();
  const [people, customers, events, siteKey] = await Promise.all([
    db.profile.count({ where: { workspaceId: workspace.id, mergedIntoId: null } }),
    db.profile.count({ where: { workspaceId: workspace.id, mergedIntoId: null, rung: 4 } }),
    db.event.count({ where: { workspaceId: workspace.id } }),
    db.siteKey.findFirst({ where: { workspaceId: workspace.id, revokedAt: null }, select: { key: true } }),
  ]);
  const snippet = `<script defer src="${appUrl()}/t.js" data-site="${siteKey?.key ?? "pk_…"}" data-consent="auto"></script>`;
  const stats = [
    { label: "People", value: people },
    { label: "Paying customers", value: customers },
    { label: "Signals logged", value: events },
  ];
  return (
    <div className="max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">{workspace.name}</h1>
        <p className="mt-1 text-sm text-slate-500">
          Times shown in {workspace.timezone} · {workspace.region.toUpperCase()} region
        </p>
      </div>
      <dl className="grid grid-cols-3 gap-4">
        {stats.map((s) => (
          <div key={s.label} className="rounded-xl border border-slate-200 bg-white px-5 py-4">
            <dt className="text-sm text-slate-500">{s.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{s.value.toLocaleString("en-US")}</dd>
          </div>
        ))}
      </dl>
      <Card
        title="Getting started"
        description="Put this tag on every page of your site: it logs visits first-party and asks EU visitors for consent."
      >
        <CopyBlock label="Tracking snippet" text={snippet} />
        <p className="mt-3 text-sm text-slate-500">
          Server-side sources (your chatbot, CRM, scheduler) send events to{" "}
          <code className="font-mono">POST /api/v1/events</code> with an API key from Settings → API keys.
        </p>
      </Card>
    </div>
  );
}
