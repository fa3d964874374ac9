import type { Metadata } from "next";
import { PrivacyRequestList } from "@/components/settings/privacy-requests.tsx";
import { PrivacySettingsForm } from "@/components/settings/privacy-settings-form.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { privacyLog } from "@/lib/privacy/privacy-log.ts";
import { getPrivacySettings } from "@/lib/privacy/privacy-settings.ts";

export const metadata: Metadata = { title: "Privacy" };

/** Settings → Privacy (API.md "Owner app"): the privacy request log (P12), retention (P14) and Do-Not-Track. */
export default async function PrivacySettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireMember((await params).workspace);
  const db = getDb();
  const [settings, log] = await Promise.all([getPrivacySettings(db, workspace.id), privacyLog(db, workspace.id)]);
  return (
    <div className="max-w-4xl space-y-6">
      <h1 className="text-2xl font-semibold">Privacy</h1>
      <Card
        title="Privacy requests"
        description="Every export, erasure and opt-out, however it came in: the person's preferences page, an unsubscribe link, an SMS reply, the API or this app. The law gives one month to answer (GDPR Art. 12(3))."
      >
        <div className="space-y-6">
          <section aria-labelledby="open-requests" className="space-y-2">
            <h3 id="open-requests" className="text-sm font-semibold text-slate-900">
              Open ({log.open.length})
            </h3>
            <PrivacyRequestList
              slug={workspace.slug}
              zone={workspace.timezone}
              requests={log.open}
              label="Open requests"
              empty="No open requests: everything asked for has been done."
            />
          </section>
          <section aria-labelledby="done-requests" className="space-y-2">
            <h3 id="done-requests" className="text-sm font-semibold text-slate-900">
              Recently done
            </h3>
            <PrivacyRequestList
              slug={workspace.slug}
              zone={workspace.timezone}
              requests={log.done}
              label="Done requests"
              empty="None yet. Opt-outs, exports and self-service deletions are done the moment they arrive and are listed here."
            />
            {log.moreDone ? (
              <p className="text-xs text-slate-500">
                The latest {log.done.length} are shown; the whole log is at{" "}
                <code className="font-mono">GET /api/v1/privacy-requests</code>.
              </p>
            ) : null}
          </section>
        </div>
      </Card>
      <Card
        title="Retention and Do-Not-Track"
        description="How long people's data is kept, and which browsers are not tracked."
      >
        <PrivacySettingsForm slug={workspace.slug} canEdit={role === "owner"} initial={settings} />
      </Card>
    </div>
  );
}
