import type { Metadata } from "next";
import Link from "next/link";
import { formatInZone, RUNG_LABELS } from "@/components/people/format.ts";
import { RungBadge } from "@/components/people/rung-badge.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { campaignFilterOf, campaignFilterParams } from "@/lib/campaigns/campaign-filter.ts";
import { getDb } from "@/lib/db/client.ts";
import { listPeople } from "@/lib/people/list-people.ts";

export const metadata: Metadata = { title: "Customers" };

type Search = Promise<Record<string, string | undefined>>;

export default async function PeoplePage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Search;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const sp = await searchParams;
  const rung = sp.rung !== undefined && /^[0-4]$/.test(sp.rung) ? Number(sp.rung) : undefined;
  const db = getDb();
  const ws = await db.workspace.findUniqueOrThrow({
    where: { id: workspace.id },
    select: { id: true, hashSalt: true, defaultCountry: true, timezone: true },
  });
  const campaign = campaignFilterOf(sp);
  const { people, next } = await listPeople(db, ws, { q: sp.q, rung, after: sp.after, campaign });
  const base = `/app/${workspace.slug}/people`;
  const link = (extra: Record<string, string | undefined>, keepCampaign = true) => {
    const q = new URLSearchParams();
    // A campaign filter keeps its empty medium / campaign: they are part of the row it names.
    if (campaign && keepCampaign) for (const [k, v] of Object.entries(campaignFilterParams(campaign))) q.set(k, v);
    for (const [k, v] of Object.entries({ q: sp.q, rung: sp.rung, ...extra })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <div className="max-w-5xl space-y-5">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Customers</h1>
          <p className="mt-1 text-sm text-slate-500">Everyone who left a signal, newest activity first.</p>
        </div>
        <search>
          <form action={base} className="flex gap-2">
            {sp.rung ? <input type="hidden" name="rung" value={sp.rung} /> : null}
            {campaign
              ? Object.entries(campaignFilterParams(campaign)).map(([k, v]) => (
                  <input key={k} type="hidden" name={k} value={v} />
                ))
              : null}
            <label htmlFor="people-search" className="sr-only">
              Search by name, email or phone
            </label>
            <input
              id="people-search"
              name="q"
              defaultValue={sp.q ?? ""}
              placeholder="Name, email or phone"
              className="w-64 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm focus:border-brand-500 focus:outline-2 focus:outline-brand-500/30"
            />
            <button
              type="submit"
              className="rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-brand-700"
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
            href={`/app/${workspace.slug}/campaigns?touch=${campaign.touch}&range=${campaign.range}`}
            className="text-brand-700 hover:underline"
          >
            ← Campaigns
          </Link>
          <Link
            href={link({ after: undefined }, false)}
            className="rounded-full px-2 py-0.5 text-xs ring-1 ring-slate-300 hover:bg-white"
          >
            Clear campaign filter
          </Link>
        </p>
      ) : null}
      <nav aria-label="Filter by rung" className="flex flex-wrap gap-2 text-sm">
        <Link
          href={link({ rung: undefined, after: undefined })}
          aria-current={rung === undefined ? "page" : undefined}
          className={`rounded-full px-3 py-1 ring-1 ${rung === undefined ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-600 ring-slate-200"}`}
        >
          Everyone
        </Link>
        {RUNG_LABELS.map((label, r) => (
          <Link
            key={label}
            href={link({ rung: String(r), after: undefined })}
            aria-current={rung === r ? "page" : undefined}
            className={`rounded-full px-3 py-1 ring-1 ${rung === r ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-600 ring-slate-200"}`}
          >
            {r} · {label}
          </Link>
        ))}
      </nav>
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2.5 font-medium">Person</th>
              <th className="px-4 py-2.5 font-medium">Rung</th>
              <th className="px-4 py-2.5 font-medium">Customer #</th>
              <th className="px-4 py-2.5 font-medium">Signals</th>
              <th className="px-4 py-2.5 font-medium">Last activity</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {people.map((p) => (
              <tr key={p.id} className="hover:bg-slate-50">
                <td className="px-4 py-2.5">
                  <Link href={`${base}/${p.id}`} className="font-medium text-slate-900 hover:text-brand-700">
                    {p.name ?? p.email ?? p.phone ?? "Anonymous visitor"}
                  </Link>
                  <p className="text-xs text-slate-500">
                    {[p.name ? p.email : null, p.phone].filter(Boolean).join(" · ")}
                  </p>
                </td>
                <td className="px-4 py-2.5">
                  <RungBadge rung={p.rung} />
                </td>
                <td className="px-4 py-2.5 tabular-nums">
                  {p.customerNumber ? `#${p.customerNumber.toLocaleString("en-US")}` : "—"}
                </td>
                <td className="px-4 py-2.5 tabular-nums">{p.eventCount}</td>
                <td className="px-4 py-2.5 text-slate-600">{formatInZone(p.lastSeenAt, workspace.timezone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {people.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-500">
            {sp.q
              ? `Nobody matches “${sp.q}”.`
              : campaign
                ? "Nobody from this campaign matches."
                : "Nobody yet: signals will appear here as they arrive."}
          </p>
        ) : null}
      </div>
      {next ? (
        <Link
          href={link({ after: next })}
          className="inline-block rounded-lg px-3.5 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-white"
        >
          Next page
        </Link>
      ) : null}
    </div>
  );
}
