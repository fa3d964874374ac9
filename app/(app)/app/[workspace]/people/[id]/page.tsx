import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { formatInZone, RUNG_LABELS, SOURCE_LABELS } from "@/components/people/format.ts";
import { RungBadge } from "@/components/people/rung-badge.tsx";
import { Timeline } from "@/components/people/timeline.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { CLICK_IDS, touchChannel } from "@/lib/campaigns/touch-channel.ts";
import { getDb } from "@/lib/db/client.ts";
import { resolveProfileId } from "@/lib/identity/resolve-profile-id.ts";
import { personOverview } from "@/lib/people/person-overview.ts";

export const metadata: Metadata = { title: "Person" };

/**
 * A touch (R15) as the campaigns page names it — source / medium / campaign, with a click id or a referrer
 * standing in for missing UTM tags — and the raw details it came with.
 */
function TouchView({ touch, zone }: { touch: unknown; zone: string }) {
  if (!touch || typeof touch !== "object") return <p className="text-sm text-slate-500">None yet</p>;
  const t = touch as Record<string, string | undefined>;
  const channel = touchChannel(t);
  const click = CLICK_IDS.find((c) => t[c.key]);
  const rows: [string, string | undefined][] = [
    ["When", t.occurredAt ? formatInZone(t.occurredAt, zone) : undefined],
    ["Source", channel.source],
    ["Medium", channel.medium],
    ["Campaign", channel.campaign],
    ["Creative", t.utm_content],
    ["Term", t.utm_term],
    ["Click id", click ? `${click.key} ${t[click.key]}` : undefined],
    ["Referrer", t.referrer],
    ["Via", t.source ? (SOURCE_LABELS[t.source] ?? t.source) : undefined],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
      {rows
        .filter(([, v]) => v)
        .map(([label, v]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className="truncate" title={v}>
              {v}
            </dd>
          </div>
        ))}
    </dl>
  );
}

export default async function PersonPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string; id: string }>;
  searchParams: Promise<{ source?: string }>;
}) {
  const { workspace: slug, id } = await params;
  const { workspace } = await requireMember(slug);
  const db = getDb();
  const live = await resolveProfileId(db, workspace.id, id);
  if (!live) notFound();
  if (live !== id) redirect(`/app/${slug}/people/${live}`); // merged into another person (R6)
  const person = await personOverview(db, workspace.id, live);
  if (!person) notFound();
  const source = (await searchParams).source;
  const zone = workspace.timezone;
  const name = person.displayName ?? person.identifiers.find((i) => i.type === "email")?.masked ?? "Anonymous visitor";
  return (
    <div className="max-w-6xl space-y-6">
      <div>
        <Link href={`/app/${slug}/people`} className="text-sm text-slate-500 hover:text-slate-800">
          ← Customers
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{name}</h1>
          <RungBadge rung={person.rung} />
          {person.customerNumber ? (
            <span className="text-sm font-medium text-emerald-700">
              Customer #{person.customerNumber.toLocaleString("en-US")}
            </span>
          ) : null}
          {person.optedOutAt ? (
            <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs text-amber-800">Opted out</span>
          ) : null}
          {person.gpcAt ? (
            <span
              className="rounded-full bg-amber-50 px-2 py-0.5 text-xs text-amber-800"
              title={`Their browser sent Global Privacy Control (first on ${formatInZone(person.gpcAt, zone)}): no conversion is ever sent back to an ad network for them.`}
            >
              Global Privacy Control
            </span>
          ) : null}
        </div>
        <p className="mt-1 text-sm text-slate-500">
          First seen {formatInZone(person.firstSeenAt, zone)} · last seen {formatInZone(person.lastSeenAt, zone)} ·{" "}
          {person.eventCount.toLocaleString("en-US")} {person.eventCount === 1 ? "signal" : "signals"} · times in {zone}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <Card
          title="Timeline"
          description="Every signal from every channel, oldest first. The rung is where they stood at that moment."
        >
          <nav aria-label="Filter by source" className="mb-4 flex flex-wrap gap-2 text-xs">
            <Link
              href={`/app/${slug}/people/${live}`}
              className={`rounded-full px-2.5 py-1 ring-1 ${!source ? "bg-slate-900 text-white ring-slate-900" : "ring-slate-200"}`}
            >
              All
            </Link>
            {Object.entries(person.sources).map(([s, n]) => (
              <Link
                key={s}
                href={`/app/${slug}/people/${live}?source=${s}`}
                className={`rounded-full px-2.5 py-1 ring-1 ${source === s ? "bg-slate-900 text-white ring-slate-900" : "ring-slate-200"}`}
              >
                {SOURCE_LABELS[s] ?? s} {n}
              </Link>
            ))}
          </nav>
          <Timeline
            slug={slug}
            profileId={live}
            timeZone={zone}
            source={source && source in SOURCE_LABELS ? source : null}
          />
        </Card>
        <div className="space-y-6">
          <Card title="Identity ladder">
            <ol className="space-y-2" aria-label="Identity ladder">
              {RUNG_LABELS.map((label, r) => {
                const step = person.ladder.find((l) => l.rung === r);
                return (
                  <li key={label} className={`flex gap-3 text-sm ${step ? "" : "opacity-40"}`}>
                    <span
                      className={`mt-0.5 inline-flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${step ? "bg-brand-600 text-white" : "bg-slate-200 text-slate-500"}`}
                    >
                      {r}
                    </span>
                    <div>
                      <p className="font-medium">{label}</p>
                      {step ? (
                        <p className="text-xs text-slate-500">
                          {formatInZone(step.reachedAt, zone)}
                          {step.event?.summary ? ` · ${step.event.summary}` : ""}
                        </p>
                      ) : null}
                    </div>
                  </li>
                );
              })}
            </ol>
          </Card>
          <Card title="Identifiers" description="Stored as keyed hashes; shown masked.">
            <ul className="space-y-1 text-sm">
              {person.identifiers.map((i) => (
                <li key={`${i.type}-${i.masked}-${i.createdAt.getTime()}`} className="flex justify-between gap-2">
                  <span className="text-slate-500">{i.type}</span>
                  <span className="truncate font-mono text-xs">
                    {i.masked}
                    {i.shared ? " (shared)" : ""}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
          <Card title="Attribution">
            <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">First touch</h3>
            <TouchView touch={person.firstTouch} zone={zone} />
            <h3 className="mb-1 mt-3 text-xs font-semibold uppercase text-slate-500">Last touch</h3>
            <TouchView touch={person.lastTouch} zone={zone} />
          </Card>
          {person.merges.length ? (
            <Card title="Merges and splits">
              <ul className="space-y-1.5 text-xs text-slate-600">
                {person.merges.map((m) => (
                  <li key={m.id}>
                    {formatInZone(m.createdAt, zone)} · {m.kind}
                    {m.reason ? ` (${m.reason})` : ""}
                    {m.undoneAt ? " · undone" : ""}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </div>
      </div>
    </div>
  );
}
