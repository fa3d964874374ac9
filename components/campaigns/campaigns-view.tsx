"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Fragment, useState } from "react";
import { type CampaignsData, useCampaigns } from "@/components/data/use-campaigns.ts";
import { formatInZone } from "@/components/people/format.ts";
import { Alert } from "@/components/ui/card.tsx";
import { campaignPeopleHref } from "@/lib/campaigns/campaign-filter.ts";
import type { CampaignRow, Range, TouchKind } from "@/lib/campaigns/campaign-table.ts";
import { DIRECT } from "@/lib/campaigns/touch-channel.ts";

const RANGE_LABELS: Record<Range, string> = {
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  all: "All time",
};

const COOKIELESS_NOTE =
  "Cookieless visits are page views of visitors who declined cookies; counted, never tied to a person.";

const pct = (rate: number) => `${(rate * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;
const num = (n: number) => n.toLocaleString("en-US");
const count = (n: number, one: string, many: string) => `${num(n)} ${n === 1 ? one : many}`;
const none = (v: string) => v || <span className="text-slate-400">(none)</span>;

/**
 * The campaigns page: which sources, mediums and campaigns brought people, and how many of them left a
 * contact or paid. The touch and the range live in the URL so a view can be shared and comes back on "Back".
 */
export function CampaignsView({
  slug,
  timezone,
  touch: initialTouch,
  range: initialRange,
}: {
  slug: string;
  timezone: string;
  touch: TouchKind;
  range: Range;
}) {
  const router = useRouter();
  const path = usePathname();
  const [touch, setTouch] = useState(initialTouch);
  const [range, setRange] = useState(initialRange);
  const { data, error, isPending, isPlaceholderData } = useCampaigns(slug, touch, range);
  const update = (next: { touch?: TouchKind; range?: Range }) => {
    const t = next.touch ?? touch;
    const r = next.range ?? range;
    setTouch(t);
    setRange(r);
    router.replace(`${path}?touch=${t}&range=${r}`, { scroll: false });
  };

  return (
    <div className="max-w-6xl space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Campaigns</h1>
          <p className="mt-1 text-sm text-slate-500">
            Where people came from, and how many of them became known or paying. Each person counts once, in the
            campaign of their {touch === "first" ? "first" : "latest"} visit.
          </p>
        </div>
        <div className="flex items-center gap-3">
          <fieldset className="inline-flex rounded-lg bg-slate-100 p-0.5 text-sm">
            <legend className="sr-only">Attribute people to their</legend>
            {(["first", "last"] as const).map((t) => (
              <button
                key={t}
                type="button"
                aria-pressed={touch === t}
                onClick={() => update({ touch: t })}
                className={`rounded-md px-3 py-1.5 ${touch === t ? "bg-white font-medium text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"}`}
              >
                {t === "first" ? "First touch" : "Last touch"}
              </button>
            ))}
          </fieldset>
          <label htmlFor="campaign-range" className="sr-only">
            Date range
          </label>
          <select
            id="campaign-range"
            value={range}
            onChange={(e) => update({ range: e.target.value as Range })}
            className="h-9 rounded-lg border border-slate-300 bg-white px-3 text-sm shadow-xs focus:border-brand-500 focus:outline-2 focus:outline-brand-500/30"
          >
            {Object.entries(RANGE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>

      {error ? <Alert tone="error">Could not load the campaigns: {error.message}</Alert> : null}
      {isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {data ? (
        <div className={isPlaceholderData ? "opacity-60 transition-opacity" : ""}>
          {data.rows.length ? <CampaignTableView slug={slug} data={data} /> : <NoPeople range={data.range} />}
          <p className="mt-2 text-xs text-slate-500">
            {data.since
              ? `${touch === "first" ? "First" : "Last"} touches since ${formatInZone(data.since, timezone, { dateStyle: "medium" })}`
              : `${touch === "first" ? "First" : "Last"} touches of all time`}{" "}
            · days in {timezone} · identified = left an email, phone or account · customers = paid or booked
            {data.omitted ? ` · ${num(data.omitted)} smaller rows not shown` : ""}
          </p>
          {data.rows.length ? (
            <p id="cookieless-note" className="mt-1 text-xs text-slate-500">
              * {COOKIELESS_NOTE} The same for first and last touch: named by the visit's own campaign tags or referrer,
              on the day it happened.
            </p>
          ) : null}
          {data.rows.length && data.rows.every((r) => r.source === "(direct)" || r.medium === "referral") ? (
            <div className="mt-6">
              <HowCampaignsArrive />
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function CampaignTableView({ slug, data }: { slug: string; data: CampaignsData }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const people = (r: Pick<CampaignRow, "source" | "medium" | "campaign">) =>
    campaignPeopleHref(slug, {
      touch: data.touch,
      range: data.range,
      source: r.source,
      medium: r.medium,
      campaign: r.campaign,
    });
  const toggle = (key: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  return (
    <>
      <CampaignCards people={people} data={data} open={open} toggle={toggle} />
      <div className="hidden overflow-hidden rounded-xl border border-slate-200 bg-white md:block">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2.5 font-medium">Source / medium</th>
              <th className="px-4 py-2.5 font-medium">Campaign</th>
              <th className="px-4 py-2.5 text-right font-medium">People</th>
              <th className="px-4 py-2.5 text-right font-medium">Identified</th>
              <th className="px-4 py-2.5 text-right font-medium">Customers</th>
              <th className="px-4 py-2.5 text-right font-medium" title={COOKIELESS_NOTE}>
                <span aria-describedby="cookieless-note" className="cursor-help underline decoration-dotted">
                  Cookieless visits*
                </span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.rows.map((r) => {
              const key = JSON.stringify([r.source, r.medium, r.campaign]);
              const expanded = open.has(key);
              return (
                <Fragment key={key}>
                  <tr className="hover:bg-slate-50" data-testid="campaign-row">
                    <td className="px-4 py-2.5">
                      {r.people ? (
                        <Link href={people(r)} className="font-medium text-slate-900 hover:text-brand-700">
                          {r.source}
                        </Link>
                      ) : (
                        <span className="font-medium text-slate-900">{r.source}</span>
                      )}
                      {r.source === DIRECT ? null : <span className="text-slate-500"> / {none(r.medium)}</span>}
                    </td>
                    <td className="px-4 py-2.5">
                      {none(r.campaign)}
                      {r.creatives.length ? (
                        <button
                          type="button"
                          aria-expanded={expanded}
                          onClick={() => toggle(key)}
                          className="ml-2 rounded-full px-2 py-0.5 text-xs text-slate-600 ring-1 ring-slate-200 hover:bg-white"
                        >
                          {expanded ? "▾" : "▸"} {r.creatives.length} creative{r.creatives.length === 1 ? "" : "s"}
                        </button>
                      ) : null}
                    </td>
                    <td className="px-4 py-2.5 text-right tabular-nums">
                      {r.people ? (
                        <Link href={people(r)} className="font-medium hover:text-brand-700">
                          {num(r.people)}
                        </Link>
                      ) : (
                        <span className="text-slate-400">0</span>
                      )}
                    </td>
                    <Rate n={r.identified} rate={r.identifiedRate} />
                    <Rate n={r.customers} rate={r.customerRate} strong />
                    <td
                      className={`px-4 py-2.5 text-right tabular-nums ${r.visits ? "text-slate-700" : "text-slate-400"}`}
                    >
                      {num(r.visits)}
                    </td>
                  </tr>
                  {expanded
                    ? r.creatives.map((c) => (
                        <tr key={c.content} className="bg-slate-50/60 text-slate-600">
                          <td className="px-4 py-1.5" />
                          <td className="px-4 py-1.5 pl-8 text-xs">creative: {none(c.content)}</td>
                          <td className="px-4 py-1.5 text-right text-xs tabular-nums">{num(c.people)}</td>
                          <Rate n={c.identified} rate={c.identifiedRate} small />
                          <Rate n={c.customers} rate={c.customerRate} small />
                          <td className="px-4 py-1.5" />
                        </tr>
                      ))
                    : null}
                </Fragment>
              );
            })}
          </tbody>
          <tfoot className="border-t border-slate-200 bg-slate-50 font-medium">
            <tr>
              <td className="px-4 py-2.5" colSpan={2}>
                Everyone
              </td>
              <td className="px-4 py-2.5 text-right tabular-nums">{num(data.totals.people)}</td>
              <Rate n={data.totals.identified} rate={data.totals.identifiedRate} />
              <Rate n={data.totals.customers} rate={data.totals.customerRate} strong />
              <td className="px-4 py-2.5 text-right tabular-nums">{num(data.totals.visits)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}

/** Below 768 px: one card per row — its numbers in a grid, its creatives on demand. */
function CampaignCards({
  people,
  data,
  open,
  toggle,
}: {
  people: (r: Pick<CampaignRow, "source" | "medium" | "campaign">) => string;
  data: CampaignsData;
  open: Set<string>;
  toggle: (key: string) => void;
}) {
  const figure = (label: string, n: number, rate?: number, strong?: boolean) => (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className={`tabular-nums ${strong && n ? "font-medium text-emerald-700" : "text-slate-900"}`}>
        {num(n)}
        {rate === undefined ? null : <span className="ml-1 text-xs text-slate-500">{pct(rate)}</span>}
      </dd>
    </div>
  );
  return (
    <ul className="space-y-2 md:hidden" aria-label="Campaigns">
      {data.rows.map((r) => {
        const key = JSON.stringify([r.source, r.medium, r.campaign]);
        const expanded = open.has(key);
        const name = (
          <>
            <span className="font-medium text-slate-900">{r.source}</span>
            {r.source === DIRECT ? null : <span className="text-slate-500"> / {none(r.medium)}</span>}
          </>
        );
        return (
          <li key={key} className="rounded-xl border border-slate-200 bg-white p-3.5" data-testid="campaign-card">
            <p className="break-words">
              {r.people ? (
                <Link href={people(r)} className="hover:text-brand-700">
                  {name}
                </Link>
              ) : (
                name
              )}
            </p>
            {r.campaign ? <p className="break-words text-sm text-slate-600">{r.campaign}</p> : null}
            <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1.5 text-sm">
              {figure("People", r.people)}
              {figure("Identified", r.identified, r.identifiedRate)}
              {figure("Customers", r.customers, r.customerRate, true)}
              {figure("Cookieless visits*", r.visits)}
            </dl>
            {r.creatives.length ? (
              <>
                <button
                  type="button"
                  aria-expanded={expanded}
                  onClick={() => toggle(key)}
                  className="mt-2 rounded-full px-2 py-0.5 text-xs text-slate-600 ring-1 ring-slate-200"
                >
                  {expanded ? "▾" : "▸"} {r.creatives.length} creative{r.creatives.length === 1 ? "" : "s"}
                </button>
                {expanded ? (
                  <ul className="mt-2 space-y-1 text-xs text-slate-600">
                    {r.creatives.map((c) => (
                      <li key={c.content} className="flex justify-between gap-3">
                        <span className="break-all">{none(c.content)}</span>
                        <span className="shrink-0 tabular-nums">
                          {count(c.people, "person", "people")} · {count(c.customers, "customer", "customers")}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : null}
          </li>
        );
      })}
      <li className="rounded-xl bg-slate-100 px-3.5 py-2.5 text-sm">
        <span className="font-medium">Everyone</span>: {count(data.totals.people, "person", "people")},{" "}
        {num(data.totals.identified)} identified, {count(data.totals.customers, "customer", "customers")}
      </li>
    </ul>
  );
}

function Rate({ n, rate, strong, small }: { n: number; rate: number; strong?: boolean; small?: boolean }) {
  return (
    <td className={`px-4 text-right tabular-nums ${small ? "py-1.5 text-xs" : "py-2.5"}`}>
      <span className={strong && n ? "font-medium text-emerald-700" : ""}>{num(n)}</span>
      <span className="ml-1.5 inline-block w-12 text-xs text-slate-500">{pct(rate)}</span>
    </td>
  );
}

function NoPeople({ range }: { range: Range }) {
  return (
    <div className="space-y-4 rounded-xl border border-slate-200 bg-white px-6 py-8">
      <div className="text-center">
        <p className="font-medium text-slate-900">
          {range === "all" ? "No people yet." : `Nobody arrived in the ${RANGE_LABELS[range].toLowerCase()}.`}
        </p>
        <p className="mt-1 text-sm text-slate-500">
          People appear here, grouped by where they came from, as soon as your site or your other sources send signals.
        </p>
      </div>
      <HowCampaignsArrive />
    </div>
  );
}

/** The empty state's explanation: what makes a campaign, for someone who never tagged a link. */
function HowCampaignsArrive() {
  const code = "rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-700";
  return (
    <section aria-labelledby="how-campaigns" className="mx-auto max-w-3xl rounded-lg bg-slate-50 px-5 py-4 text-sm">
      <h2 id="how-campaigns" className="font-semibold text-slate-900">
        How campaigns get here
      </h2>
      <ul className="mt-2 space-y-2 text-slate-600">
        <li>
          <span className="font-medium text-slate-800">UTM links.</span> Add campaign parameters to the links you share
          — for example{" "}
          <code className={code}>?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=black-friday</code>. The
          tracking snippet reads them when someone lands on your site; <code className={code}>utm_content</code> names
          the creative.
        </li>
        <li>
          <span className="font-medium text-slate-800">Ad clicks.</span> Google, Meta, Microsoft, TikTok and LinkedIn
          add a click id (<code className={code}>gclid</code>, <code className={code}>fbclid</code>,{" "}
          <code className={code}>msclkid</code>, <code className={code}>ttclid</code>,{" "}
          <code className={code}>li_fat_id</code>) to every ad click. Without UTM tags such a visit shows as{" "}
          <em>google / cpc</em>, <em>facebook / paid</em>…
        </li>
        <li>
          <span className="font-medium text-slate-800">Tracked links and server events.</span> A link made with{" "}
          <code className={code}>POST /api/v1/links</code> and a <code className={code}>campaign</code> carries it to
          the click; events sent to <code className={code}>POST /api/v1/events</code> may carry a{" "}
          <code className={code}>campaign</code> object too.
        </li>
        <li>
          <span className="font-medium text-slate-800">Everything else.</span> A visit from a link on another site shows
          as that site / <em>referral</em>; no campaign, click id or referrer at all is <em>(direct)</em> — a typed
          address, a bookmark, or someone known only from a server-side source.
        </li>
      </ul>
    </section>
  );
}
