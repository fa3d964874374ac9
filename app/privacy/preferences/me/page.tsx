import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { PreferencesView } from "@/components/privacy/preferences-view.tsx";
import { getDb } from "@/lib/db/client.ts";
import { preferencesView } from "@/lib/privacy/preferences/person-view.ts";
import { readSession, SESSION_COOKIE, SESSION_PATH } from "@/lib/privacy/preferences/session.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your data and choices", robots: { index: false, follow: false } };

/**
 * The person's own privacy page (PRIVACY.md P9), opened by a one-time link or an email footer's link: what the
 * business holds, consent, the per-channel switches, download and delete. No session: back to the entry page,
 * which says why.
 */
export default async function PrivacyPreferencesPage() {
  const db = getDb();
  const session = await readSession(db, (await cookies()).get(SESSION_COOKIE)?.value);
  const view = session ? await preferencesView(db, session) : null;
  if (!session || !view) redirect(SESSION_PATH);
  return (
    <PreferencesView view={view} timeZone={session.workspace.timezone} closesAt={session.expiresAt.toISOString()} />
  );
}
