import type { ReactNode } from "react";
import { Card } from "@/components/ui/card.tsx";
import type { PreferencesView as View } from "@/lib/privacy/preferences/person-view.ts";
import { ChannelSwitches } from "./channel-switches.tsx";
import { DeleteData } from "./delete-data.tsx";
import { PreferencesShell } from "./preferences-shell.tsx";

const TYPE_LABELS: Record<string, string> = { email: "Email", phone: "Phone", account: "Customer number" };

function formatter(timeZone: string) {
  const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone });
  const time = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  });
  return { day: (iso: string) => day.format(new Date(iso)), time: (iso: string) => time.format(new Date(iso)) };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 py-2 sm:grid-cols-[11rem_1fr] sm:gap-4">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

const consentWords = (choice: string) => (choice === "granted" ? "Accepted cookies" : "Declined cookies");

/** The person's page, server-rendered; the switches and Delete are the only client parts. */
export function PreferencesView({ view, timeZone, closesAt }: { view: View; timeZone: string; closesAt: string }) {
  const f = formatter(timeZone);
  const full = view.scope === "full";
  const latest = view.consent[0];
  return (
    <main className="mx-auto w-full max-w-2xl space-y-5 px-4 py-8 sm:py-12">
      <header className="space-y-2">
        <p className="font-semibold text-brand-600">{view.business}</p>
        <h1 className="text-2xl font-semibold text-slate-900">Your data and choices</h1>
      </header>
      <PreferencesShell>
        <div className="space-y-5">
          <p className="text-slate-700">
            What {view.business} holds about you, and what it may do with it. This page closes at {f.time(closesAt)}.
          </p>
          <Card title={`What ${view.business} holds`}>
            <dl className="divide-y divide-slate-100">
              {view.identifiers.map((i) => (
                <Row key={i.id} label={TYPE_LABELS[i.type] ?? i.type}>
                  {i.value}
                  {i.typed ? null : <span className="sr-only"> (partly hidden)</span>}
                </Row>
              ))}
              {view.devices ? (
                <Row label="Browsers and devices">
                  {view.devices === 1 ? "1, recognised by a cookie" : `${view.devices}, recognised by a cookie`}
                </Row>
              ) : null}
              <Row label="Known since">{f.day(view.knownSince)}</Row>
              <Row label="Last activity">{f.day(view.lastSeen)}</Row>
            </dl>
            {view.identifiers.some((i) => !i.typed) ? (
              <p className="mt-2 text-sm text-slate-600">
                Details you didn't type here are partly hidden on this page. The download shows them in full.
              </p>
            ) : null}
          </Card>

          <Card
            title="Your activity"
            description={`${view.eventCount} ${view.eventCount === 1 ? "thing" : "things"} recorded, ${view.messageCount} ${view.messageCount === 1 ? "message" : "messages"}`}
          >
            {view.activity.length ? (
              <ul className="grid gap-1 sm:grid-cols-2" aria-label="Activity by kind">
                {view.activity.map((a) => (
                  <li key={a.label} className="flex justify-between gap-3 rounded-md bg-slate-50 px-3 py-1.5 text-sm">
                    <span className="text-slate-700">{a.label}</span>
                    <span className="font-medium tabular-nums text-slate-900">{a.count}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-600">Nothing recorded.</p>
            )}
            {full && view.recent.length ? (
              <>
                <h3 className="mt-5 mb-2 text-sm font-semibold text-slate-900">Most recent</h3>
                <ol className="space-y-1.5 text-sm" aria-label="Most recent activity">
                  {view.recent.map((e, n) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, newest first
                    <li key={n} className="flex flex-col sm:flex-row sm:gap-3">
                      <span className="shrink-0 text-slate-600 sm:w-28">{f.day(e.at)}</span>
                      <span className="min-w-0 break-words text-slate-900">{e.title}</span>
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
          </Card>

          {full ? (
            <Card
              title="Your messages"
              description={
                view.messageCount > view.messages.length
                  ? `The latest ${view.messages.length} of ${view.messageCount}; the download has them all.`
                  : undefined
              }
            >
              {view.messages.length ? (
                <ol className="space-y-3" aria-label="Messages">
                  {view.messages.map((m) => (
                    <li key={m.id} className="rounded-lg bg-slate-50 p-3">
                      <p className="text-xs text-slate-600">
                        {m.direction === "in" ? `You → ${view.business}` : `${view.business} → you`} · {m.channel} ·{" "}
                        {f.day(m.at)}
                      </p>
                      <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-900">{m.body}</p>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="text-slate-600">No messages.</p>
              )}
            </Card>
          ) : null}

          <Card title="Cookies and consent">
            <p className="text-slate-900">
              {latest
                ? `${consentWords(latest.choice)} on ${f.day(latest.at)}${latest.country ? ` (from ${latest.country})` : ""}.`
                : `No cookie choice recorded: ${view.business}'s website asks visitors where the law requires it.`}
            </p>
            {view.gpc ? (
              <p className="mt-2 text-sm text-slate-700">
                Your browser sent Global Privacy Control: your activity is never passed on to advertisers.
              </p>
            ) : null}
            {view.consent.length > 1 ? (
              <ul className="mt-3 space-y-1 text-sm text-slate-700" aria-label="Earlier choices">
                {view.consent.slice(1, 6).map((c) => (
                  <li key={c.id}>
                    {consentWords(c.choice)} on {f.day(c.at)}
                  </li>
                ))}
              </ul>
            ) : null}
          </Card>

          <Card title={`What ${view.business} may do`} description="Each switch takes effect at once.">
            <ChannelSwitches business={view.business} initial={view.channels} />
          </Card>

          {full ? (
            <>
              <Card title="Download your data" description="Everything held about you, in a file you can keep.">
                <div className="flex flex-wrap gap-2">
                  <a
                    href="/privacy/preferences/me/download?format=json"
                    download
                    className="inline-flex items-center rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                  >
                    Download JSON
                  </a>
                  <a
                    href="/privacy/preferences/me/download?format=csv"
                    download
                    className="inline-flex items-center rounded-lg bg-white px-3.5 py-2 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                  >
                    Download CSV
                  </a>
                </div>
              </Card>
              <Card title="Delete your data">
                <DeleteData business={view.business} />
              </Card>
            </>
          ) : (
            <Card title="See everything, download or delete">
              <p className="text-slate-700">
                This page was opened from a link in an email, which anyone the email was forwarded to could use. To see
                everything, download it or delete it, confirm it's you: we email a one-time link to the address{" "}
                {view.business} writes to.
              </p>
              <form method="post" action="/privacy/preferences/link" className="mt-3">
                <input type="hidden" name="resend" value="1" />
                <button
                  type="submit"
                  className="inline-flex items-center rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                >
                  Email me a one-time link
                </button>
              </form>
            </Card>
          )}
        </div>
      </PreferencesShell>
      <footer className="text-xs text-slate-600">
        {view.business} is responsible for your data; this page is provided by OneThread on its behalf.
      </footer>
    </main>
  );
}
