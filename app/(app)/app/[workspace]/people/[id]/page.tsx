import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { JourneyView } from "@/components/journey/journey-view.tsx";
import { PersonHeader } from "@/components/journey/person-header.tsx";
import { PersonSide } from "@/components/journey/person-side.tsx";
import { journeyRecords } from "@/components/journey/records.ts";
import { formatInZone, SOURCE_LABELS } from "@/components/people/format.ts";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { resolveProfileId } from "@/lib/identity/resolve-profile-id.ts";
import { CHANNELS } from "@/lib/ingest/schemas.ts";
import { personNudges } from "@/lib/nudges/list-nudges.ts";
import { erasedAt } from "@/lib/people/erased-person.ts";
import { personOverview } from "@/lib/people/person-overview.ts";
import { dayKey } from "@/lib/timeline/group-journey.ts";
import { channelName } from "@/lib/timeline/words.ts";

export const metadata: Metadata = { title: "Person" };

const chip = (active: boolean) =>
  `rounded-full px-2.5 py-1 ring-1 whitespace-nowrap ${active ? "bg-slate-900 text-white ring-slate-900" : "bg-white ring-slate-200 hover:bg-slate-50"}`;

export default async function PersonPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string; id: string }>;
  searchParams: Promise<{ source?: string; channel?: string }>;
}) {
  const { workspace: slug, id } = await params;
  const { workspace, role } = await requireMember(slug);
  const db = getDb();
  const zone = workspace.timezone;
  const live = await resolveProfileId(db, workspace.id, id);
  if (!live) {
    const erased = await erasedAt(db, workspace.id, id);
    if (!erased) notFound();
    return (
      <div className="max-w-2xl space-y-4">
        <Link href={`/app/${slug}/people`} className="text-sm text-slate-500 hover:text-slate-800">
          ← Customers
        </Link>
        <Card title="This person was erased">
          <p className="text-sm text-slate-600" data-testid="erased-notice">
            Erased on {formatInZone(erased, zone)}. Their identifiers, events, messages and everything derived from them
            are gone; the erasure is kept in the privacy request log. Later signals with the same email or phone start a
            new person.
          </p>
        </Card>
      </div>
    );
  }
  if (live !== id) redirect(`/app/${slug}/people/${live}`); // merged into another person (R6)
  const [person, nudges] = await Promise.all([
    personOverview(db, workspace.id, live),
    personNudges(db, workspace.id, live),
  ]);
  if (!person) notFound();
  const q = await searchParams;
  const source = q.source && q.source in SOURCE_LABELS ? q.source : null;
  const channel = q.channel && (CHANNELS as readonly string[]).includes(q.channel) ? q.channel : null;
  const href = (s: string | null, c: string | null) => {
    const p = new URLSearchParams();
    if (s) p.set("source", s);
    if (c) p.set("channel", c);
    return `/app/${slug}/people/${live}${p.size ? `?${p}` : ""}`;
  };
  return (
    <div className="max-w-6xl space-y-6">
      <PersonHeader slug={slug} person={person} zone={zone} canErase={role === "owner"} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <Card
          title="Journey"
          description={`Every signal from every channel, by day in ${zone}. Click one for its details.`}
        >
          <div className="mb-4 space-y-2 text-xs">
            <nav aria-label="Filter by source" className="flex flex-wrap gap-1.5">
              <Link href={href(null, channel)} className={chip(!source)}>
                All sources
              </Link>
              {Object.entries(person.sources).map(([s, n]) => (
                <Link key={s} href={href(s, channel)} className={chip(source === s)}>
                  {SOURCE_LABELS[s] ?? s} {n}
                </Link>
              ))}
            </nav>
            {Object.keys(person.channels).length ? (
              <nav aria-label="Filter by channel" className="flex flex-wrap gap-1.5">
                <Link href={href(source, null)} className={chip(!channel)}>
                  All channels
                </Link>
                {Object.entries(person.channels).map(([c, n]) => (
                  <Link key={c} href={href(source, c)} className={chip(channel === c)}>
                    {channelName(c)} {n}
                  </Link>
                ))}
              </nav>
            ) : null}
          </div>
          <JourneyView
            slug={slug}
            profileId={live}
            timeZone={zone}
            firstDay={dayKey(person.firstSeenAt, zone)}
            filters={{ source, channel }}
            records={journeyRecords(person, slug, nudges)}
          />
        </Card>
        <PersonSide person={person} zone={zone} />
      </div>
    </div>
  );
}
