import { parsePhoneNumberFromString } from "libphonenumber-js";
import Link from "next/link";
import { formatInZone } from "@/components/people/format.ts";
import { RungBadge } from "@/components/people/rung-badge.tsx";
import type { PersonOverview } from "@/lib/people/person-overview.ts";
import { PersonActions } from "./person-actions.tsx";
import { ReplayButton } from "./replay-player.tsx";
import { touchName } from "./touch-view.tsx";

const CHANNEL_WORDS = { email: "email", sms: "SMS", whatsapp: "WhatsApp" } as const;

/**
 * Who this is: name, full email and phone (members see their customers' contacts), rung, customer number,
 * first touch, opt-outs; and what can be done: Replay, Export, Split, Merge, Erase.
 */
export function PersonHeader({
  slug,
  person,
  zone,
  canErase,
}: {
  slug: string;
  person: PersonOverview;
  zone: string;
  canErase: boolean;
}) {
  const name = person.name ?? "Anonymous visitor";
  const phone = person.phone ? (parsePhoneNumberFromString(person.phone)?.formatInternational() ?? person.phone) : null;
  const optOuts = [...new Map(person.optOuts.map((o) => [o.channel, o])).values()];
  const untracked = person.optedOutOf.includes("tracking") || person.optedOutOf.includes("all");
  return (
    <div className="space-y-4">
      <Link href={`/app/${slug}/people`} className="text-sm text-slate-500 hover:text-slate-800">
        ← Customers
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2.5">
            <h1 className="min-w-0 break-words text-2xl font-semibold">{name}</h1>
            <RungBadge rung={person.rung} />
            {person.customerNumber ? (
              <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-sm font-semibold text-emerald-700">
                Customer #{person.customerNumber.toLocaleString("en-US")}
              </span>
            ) : null}
          </div>
          <p className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {person.email ? (
              <a href={`mailto:${person.email}`} className="break-all text-brand-700 hover:underline">
                {person.email}
              </a>
            ) : null}
            {person.phone ? (
              <a href={`tel:${person.phone}`} className="text-brand-700 hover:underline">
                {phone}
              </a>
            ) : null}
            {!person.email && !person.phone ? <span className="text-slate-500">No contact yet</span> : null}
          </p>
          <p className="mt-1 text-sm text-slate-500">
            First touch <span className="font-medium text-slate-700">{touchName(person.firstTouch)}</span> · first seen{" "}
            {formatInZone(person.firstSeenAt, zone)} · last seen {formatInZone(person.lastSeenAt, zone)} ·{" "}
            {person.eventCount.toLocaleString("en-US")} {person.eventCount === 1 ? "signal" : "signals"}
          </p>
          {optOuts.length || person.optedOutAt || person.gpcAt || untracked ? (
            <ul className="mt-2 flex flex-wrap gap-1.5 text-xs" aria-label="Opt-outs">
              {optOuts.map((o) => (
                <li
                  key={o.channel}
                  className="rounded-full bg-amber-50 px-2 py-0.5 text-amber-800 ring-1 ring-amber-200"
                >
                  Opted out of {CHANNEL_WORDS[o.channel]}
                  {o.scope.startsWith("email:") ? ` (${o.scope.slice(6)})` : ""} since{" "}
                  {formatInZone(o.since, zone, { dateStyle: "medium" })}
                </li>
              ))}
              {person.optedOutAt && !optOuts.length ? (
                <li className="rounded-full bg-amber-50 px-2 py-0.5 text-amber-800 ring-1 ring-amber-200">Opted out</li>
              ) : null}
              {untracked ? (
                <li
                  className="rounded-full bg-amber-50 px-2 py-0.5 text-amber-800 ring-1 ring-amber-200"
                  title="Their visits, opens and clicks are no longer tied to them."
                >
                  Not tracked
                </li>
              ) : null}
              {person.gpcAt ? (
                <li
                  className="rounded-full bg-amber-50 px-2 py-0.5 text-amber-800 ring-1 ring-amber-200"
                  title={`Their browser sent Global Privacy Control (first on ${formatInZone(person.gpcAt, zone)}): no conversion is ever sent back to an ad network for them.`}
                >
                  Global Privacy Control
                </li>
              ) : null}
            </ul>
          ) : null}
        </div>
        <ReplayButton slug={slug} profileId={person.id} name={name} />
      </div>
      <PersonActions
        slug={slug}
        profileId={person.id}
        name={name}
        canErase={canErase}
        optedOutOf={person.optedOutOf}
        identifiers={person.identifiers.map((i) => ({
          id: i.id,
          type: i.type,
          value: i.value,
          firstSeen: formatInZone(i.createdAt, zone),
        }))}
      />
    </div>
  );
}
