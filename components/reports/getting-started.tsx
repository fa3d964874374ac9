import { CopyBlock } from "@/components/settings/site-snippet.tsx";
import { Card } from "@/components/ui/card.tsx";
import { appUrl } from "@/lib/config/env.ts";
import { getDb } from "@/lib/db/client.ts";

/** The tracking snippet with the workspace's site key, and where server-side sources send their events. */
export async function GettingStarted({ workspaceId }: { workspaceId: string }) {
  const siteKey = await getDb().siteKey.findFirst({
    where: { workspaceId, revokedAt: null },
    select: { key: true },
  });
  const snippet = `<script defer src="${appUrl()}/t.js" data-site="${siteKey?.key ?? "pk_…"}" data-consent="auto"></script>`;
  return (
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
  );
}
