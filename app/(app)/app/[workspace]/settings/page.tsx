import type { Metadata } from "next";
import { PurgeLine } from "@/components/settings/purge-status.tsx";
import { SettingsForm } from "@/components/settings/settings-form.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { lastPurge } from "@/lib/privacy/purge-expired.ts";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireMember((await params).workspace);
  const last = await lastPurge(getDb(), workspace.id);
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <Card title="Workspace" description="How OneThread reads and shows your customers' data.">
        <SettingsForm
          slug={workspace.slug}
          canEdit={role === "owner"}
          initial={{
            name: workspace.name,
            timezone: workspace.timezone,
            defaultCountry: workspace.defaultCountry,
            region: workspace.region,
            retentionMonths: workspace.retentionMonths,
            businessType: workspace.businessType ?? "",
          }}
        />
        {/* The form's "purged nightly" is true: what the last purge did, and where the details are. */}
        <div className="mt-4 max-w-lg">
          <PurgeLine slug={workspace.slug} last={last} timeZone={workspace.timezone} />
        </div>
      </Card>
    </div>
  );
}
