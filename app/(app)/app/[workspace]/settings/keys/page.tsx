import type { Metadata } from "next";
import { ApiKeys } from "@/components/settings/api-keys.tsx";
import { SiteKeyOrigins } from "@/components/settings/site-key-origins.tsx";
import { CopyBlock } from "@/components/settings/site-snippet.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { appUrl } from "@/lib/config/env.ts";
import { getDb } from "@/lib/db/client.ts";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireMember((await params).workspace);
  const site = await getDb().siteKey.findFirst({
    where: { workspaceId: workspace.id, revokedAt: null },
    select: { key: true, allowedOrigins: true },
  });
  return (
    <div className="max-w-4xl space-y-6">
      <h1 className="text-2xl font-semibold">API keys</h1>
      <Card
        title="Site key"
        description="Public: it goes in your web pages and only lets the tracker send visits (/api/collect)."
      >
        <p className="mb-3 font-mono text-sm" data-testid="site-key">
          {site?.key}
        </p>
        <CopyBlock
          label="Tracking snippet"
          text={`<script defer src="${appUrl()}/t.js" data-site="${site?.key ?? ""}" data-consent="auto"></script>`}
        />
        <div className="mt-5">
          <SiteKeyOrigins slug={workspace.slug} initial={site?.allowedOrigins ?? []} canEdit={role === "owner"} />
        </div>
      </Card>
      <Card
        title="Secret keys"
        description="For your servers, chatbot and integrations: Authorization: Bearer sk_… Never put one in a web page."
      >
        <ApiKeys slug={workspace.slug} canEdit={role === "owner"} />
      </Card>
    </div>
  );
}
