import type { Metadata } from "next";
import { CampaignsView } from "@/components/campaigns/campaigns-view.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { RANGES, type Range, TOUCHES, type TouchKind } from "@/lib/campaigns/campaign-table.ts";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<{ touch?: string; range?: string }>;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const sp = await searchParams;
  // A hand-edited URL falls back to the defaults rather than an error page.
  const touch = TOUCHES.find((t) => t === sp.touch) ?? ("first" satisfies TouchKind);
  const range = RANGES.find((r) => r === sp.range) ?? ("30d" satisfies Range);
  return <CampaignsView slug={workspace.slug} timezone={workspace.timezone} touch={touch} range={range} />;
}
