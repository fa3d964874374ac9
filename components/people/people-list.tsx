import Link from "next/link";
import { formatInZone, RUNG_LABELS } from "@/components/people/format.ts";
import { PersonAvatar } from "@/components/people/person-avatar.tsx";
import { RungBadge } from "@/components/people/rung-badge.tsx";
import { formatPhone } from "@/lib/people/format-phone.ts";
import type { listPeople, PeopleQuery, PersonRow } from "@/lib/people/list-people.ts";
import { PEOPLE_SORT_LABELS, PEOPLE_SORTS } from "@/lib/people/list-people.ts";
import { peopleHref } from "@/lib/people/people-query.ts";

type Result = Awaited<ReturnType<typeof listPeople>>;

const num = (n: number) => n.toLocaleString("en-US");
const chip = (on: boolean) =>
  `rounded-full px-3 py-1 ring-1 ${on ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-600 ring-slate-200 hover:ring-slate-300"}`;

/** A person's heading: their name, else their email or phone, else what little is known. */
export function personTitle(p: Pick<PersonRow, "name" | "email" | "phone">) {
  return p.name ?? p.email ?? formatPhone(p.phone) ?? "Anonymous visitor";
}

/**
 * The customers list: who each person is (name, full email and phone), where they came from, how far up the
 * ladder, how active; search, rung chips, sort, total and previous/next pages. A table from 768 px up,
 * a card per person on a phone.
 */
export function PeopleList({
  slug,
  timeZone,
  query,
  result,
}: {
  slug: string;
  timeZone: string;
  query: PeopleQuery;
  result: Result;
}) {
  const { people, total, next, prev, sort } = result;
  const here = { q: query.q, rung: query.rung, sort, campaign: query.campaign };
  const href = (change: Parameters<typeof peopleHref>[2]) => peopleHref(slug, here, change);
  const campaign = query.campaign;
  const when = (at: Date) => formatInZone(at, timeZone);
  return (
    <div className="max-w-6xl space-y-5">
      <div className="flex flex-col gap-4 md:flex-row md:items-end md:justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Customers</h1>
          <p className="mt-1 text-sm text-slate-500">Everyone who left a signal: who they are, where they came from.</p>
        </div>
        <search className="w-full md:w-auto">
          <form action={`/app/${slug}/people`} className="flex gap-2">
            {query.rung !== undefined ? <input type="hidden" name="rung" value={query.rung} /> : null}
            {sort !== "active" ? <input type="hidden" name="sort" value={sort} /> : null}
            {campaign
              ? Object.entries({
                  touch: campaign.touch,
                  range: campaign.range,
                  source: campaign.source,
                  medium: campaign.medium,
                  campaign: campaign.campaign,
                }).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)
              : null}
            <label htmlFor="people-search" className="sr-only">
              Search by name, email or phone (or customer #)
            </label>
            <input
              id="people-search"
              name="q"
              type="search"
              defaultValue={query.q ?? ""}
              placeholder="Name, email, phone or #"
              className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm focus:border-brand-500 focus:outline-2 focus:outline-brand-500/30 md:w-72"
            />
            <button
              type="submit"
              className="shrink-0 rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
            >
              Search
            </button>
          </form>
        </search>
      </div>

      {campaign ? (
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span>
            {campaign.touch === "first" ? "First" : "Last"} touch{" "}
            <span className="font-medium text-slate-900">
              {[campaign.source, campaign.medium || "(none)", campaign.campaign || "(none)"].join(" / ")}
            </span>
            {campaign.range === "all" ? "" : `, last ${campaign.range.replace("d", " days")}`}
          </span>
          <Link
            href={`/app/${slug}/campaigns?touch=${campaign.touch}&range=${campaign.range}`}
            className="text-brand-700 hover:underline"
          >
            ← Campaigns
          </Link>
          <Link
            href={href({ campaign: null })}
            className="rounded-full px-2 py-0.5 text-xs ring-1 ring-slate-300 hover:bg-white"
          >
            Clear campaign filter
          </Link>
        </p>
      ) : null}

      <nav aria-label="Filter by rung" className="flex flex-wrap gap-2 text-sm">
        <Link
          href={href({ rung: undefined })}
          aria-current={query.rung === undefined ? "page" : undefined}
          className={chip(query.rung === undefined)}
        >
          Everyone
        </Link>
        {RUNG_LABELS.map((label, r) => (
          <Link
            key={label}
            href={href({ rung: r })}
            aria-current={query.rung === r ? "page" : undefined}
            className={chip(query.rung === r)}
          >
            {r} · {label}
          </Link>
        ))}
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <p className="text-sm font-medium text-slate-700" data-testid="people-total">
          {num(total)} {total === 1 ? "person" : "people"}
          {query.q ? ` matching “${query.q}”` : ""}
          {query.rung !== undefined ? ` on rung ${query.rung} · ${RUNG_LABELS[query.rung]}` : ""}
        </p>
        <nav aria-label="Sort" className="flex flex-wrap items-center gap-1 text-sm">
          <span className="mr-1 text-slate-500">Sort</span>
          {PEOPLE_SORTS.map((s) => (
            <Link
              key={s}
              href={href({ sort: s })}
              aria-current={sort === s ? "true" : undefined}
              className={`rounded-md px-2.5 py-1 ${sort === s ? "bg-white font-medium text-slate-900 shadow-xs ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`}
            >
              {PEOPLE_SORT_LABELS[s]}
            </Link>
          ))}
        </nav>
      </div>

      {people.length ? (
        // One table for every width: table layout from 768 px up, a card per row on a phone (display
        // classes on the table's own elements), so nothing is rendered twice.
        <table className="block w-full rounded-xl border border-slate-200 bg-white text-left text-sm md:table md:table-fixed">
          <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 md:table-header-group">
            <tr>
              <th className="w-[40%] px-4 py-2.5 font-medium">Person</th>
              <th className="w-[17%] px-4 py-2.5 font-medium">Rung</th>
              <th className="w-[18%] px-4 py-2.5 font-medium">Came from</th>
              <th className="w-[8%] px-4 py-2.5 text-right font-medium">Signals</th>
              <th className="w-[17%] px-4 py-2.5 font-medium">Last active</th>
            </tr>
          </thead>
          <tbody className="block divide-y divide-slate-100 md:table-row-group">
            {people.map((p) => (
              <tr
                key={p.id}
                data-testid="person-row"
                className="relative flex flex-wrap items-center gap-x-3 gap-y-1 px-3.5 py-3 hover:bg-slate-50 md:table-row md:p-0"
              >
                <td className="flex min-w-0 basis-full items-center gap-3 md:table-cell md:px-4 md:py-2.5">
                  <div className="flex min-w-0 items-center gap-3">
                    <PersonAvatar id={p.id} label={p.name ?? p.email ?? p.phone} />
                    <div className="min-w-0">
                      <Link
                        href={`/app/${slug}/people/${p.id}`}
                        className="block break-words font-medium text-slate-900 after:absolute after:inset-0 hover:text-brand-700 md:truncate"
                      >
                        {personTitle(p)}
                      </Link>
                      <Contacts p={p} zone={timeZone} />
                    </div>
                  </div>
                </td>
                <td className="ml-12 flex flex-wrap items-center gap-x-2 md:ml-0 md:table-cell md:px-4 md:py-2.5">
                  <RungBadge rung={p.rung} />
                  {p.customerNumber ? (
                    <p className="text-xs font-medium text-emerald-700 md:mt-0.5">Customer #{num(p.customerNumber)}</p>
                  ) : null}
                </td>
                <td
                  className="min-w-0 truncate text-xs text-slate-500 md:table-cell md:px-4 md:py-2.5 md:text-sm md:text-slate-600"
                  title={p.cameFrom}
                >
                  <span className="md:hidden">from </span>
                  {p.cameFrom}
                </td>
                <td className="text-xs tabular-nums text-slate-500 md:table-cell md:px-4 md:py-2.5 md:text-right md:text-sm md:text-slate-900">
                  {num(p.eventCount)}
                  <span className="md:hidden"> {p.eventCount === 1 ? "signal" : "signals"}</span>
                </td>
                <td className="basis-full pl-12 text-xs text-slate-500 md:table-cell md:px-4 md:py-2.5 md:pl-4 md:text-sm md:text-slate-600">
                  <span className="md:hidden">Last active </span>
                  {when(p.lastSeenAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="rounded-xl border border-slate-200 bg-white px-4 py-8 text-center text-sm text-slate-500">
          {query.q
            ? `Nobody matches “${query.q}”. Names match from the start of each word; emails and phone numbers match in full.`
            : campaign
              ? "Nobody from this campaign matches."
              : query.rung !== undefined
                ? "Nobody is on this rung right now."
                : "Nobody yet: signals will appear here as they arrive."}
        </p>
      )}

      {prev || next ? (
        <nav aria-label="Pages" className="flex items-center justify-between gap-3">
          {prev ? (
            <Link href={href({ before: prev })} rel="prev" className={pager}>
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          {next ? (
            <Link href={href({ after: next })} rel="next" className={pager}>
              Next →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

const pager =
  "inline-block rounded-lg bg-white px-3.5 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50";

function Contacts({ p, zone }: { p: PersonRow; zone: string }) {
  const phone = formatPhone(p.phone);
  const lines = [p.name ? p.email : null, p.name || p.email ? phone : null].filter((v): v is string => !!v);
  if (!p.name && !p.email && !p.phone)
    return (
      <p className="text-xs text-slate-500">
        First seen {formatInZone(p.firstSeenAt, zone, { dateStyle: "medium" })} · no contact yet
      </p>
    );
  if (!lines.length && !p.moreContacts) return null;
  return (
    <p className="flex flex-wrap gap-x-2 text-xs text-slate-500">
      {lines.map((l) => (
        <span key={l} className={l === phone ? "whitespace-nowrap" : "min-w-0 break-all"}>
          {l}
        </span>
      ))}
      {p.moreContacts ? <span className="text-slate-400">+{p.moreContacts} more</span> : null}
    </p>
  );
}
