import type { Metadata } from "next";
import { NudgeSettingsForm } from "@/components/settings/nudge-settings-form.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { getNudgeSettings } from "@/lib/nudges/nudge-settings.ts";
import { RULE_LABELS, RULES } from "@/lib/nudges/rules.ts";

export const metadata: Metadata = { title: "Nudges" };

/** Settings → Nudges (decision 020): rules a business switches on; nudges show on the overview and timelines. */
export default async function NudgeSettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireMember((await params).workspace);
  const settings = await getNudgeSettings(getDb(), workspace.id);
  return (
    <div className="max-w-4xl space-y-6">
      <h1 className="text-2xl font-semibold">Nudges</h1>
      <Card
        title="Rules"
        description="When one of these happens, a nudge appears on the overview and on the person's timeline, once per person and occurrence. A rule counts what happens after you switch it on."
      >
        <NudgeSettingsForm
          slug={workspace.slug}
          initial={settings}
          canEdit={role === "owner"}
          rules={RULES.map((id) => ({ id, title: RULE_LABELS[id].title, description: RULE_LABELS[id].description }))}
        />
      </Card>
    </div>
  );
}
