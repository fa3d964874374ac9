import Link from "next/link";
import type { ReactNode } from "react";
import { formatInZone } from "@/components/people/format.ts";
import { SourceIcon } from "@/components/people/source-icon.tsx";
import type { Overview } from "@/lib/reports/overview-report.ts";
import { formatMoney } from "@/lib/timeline/summarize-event.ts";
import { num } from "./format.ts";
import { DepositsChart, RungsChart, SignalsChart } from "./overview-charts.tsx";

const CHANNEL_NAMES: Record<string, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  email: "Email",
  telegram: "Telegram",
};

function Stat({ label, value, hint, href }: { label: string; value: string; hint?: string; href?: string }) {
  const body = (
    <>
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</dd>
      {hint ? <dd className="mt-0.5 truncate text-xs text-slate-500">{hint}</dd> : null}
    </>
  );
  const box = "block rounded-xl border border-slate-200 bg-white px-4 py-3.5 shadow-xs";
  return href ? (
    <Link href={href} className={`${box} hover:border-brand-300`}>
      {body}
    </Link>
  ) : (
    <div className={box}>{body}</div>
  );
}

function Panel({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white shadow-xs">
      <header className="flex items-center justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        {action}
      </header>
      {children}
    </section>
  );
}

/** The overview's figures for the range, its three charts, the threads waiting for an answer and the latest signals. */
export function OverviewView({ slug, data }: { slug: string; data: Overview }) {
  const base = `/app/${slug}`;
  const t = data.totals;
  const deposits = t.deposits.map((d) => formatMoney(d.amount, d.currency)).join(" + ") || formatMoney(0, "usd");
  const refunds = t.refunds.length
    ? `, ${t.refunds.map((r) => formatMoney(r.amount, r.currency)).join(" + ")} refunded`
    : "";
  const person = (p: { id: string; name: string } | null) =>
    p ? (
      <Link href={`${base}/people/${p.id}`} className="font-medium text-slate-900 hover:text-brand-700">
        {p.name}
      </Link>
    ) : (
      <span className="text-slate-500">Nobody</span>
    );
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6">
        <Stat label="Signals" value={num(t.signals)} hint="in this range" />
        <Stat
          label="New people"
          value={num(t.newPeople)}
          hint={`${num(data.now.people)} in all`}
          href={`${base}/people`}
        />
        <Stat label="New leads" value={num(t.newLeads)} hint="email or phone" href={`${base}/ladder`} />
        <Stat
          label="New customers"
          value={num(t.newCustomers)}
          hint={`${num(data.now.customers)} in all`}
          href={`${base}/people?rung=4`}
        />
        <Stat label="Deposits" value={deposits ?? "—"} hint={`${num(t.payers)} paid${refunds}`} />
        <Stat
          label="Unanswered"
          value={num(data.unanswered.count)}
          hint="waiting for you"
          href={`${base}/conversations`}
        />
      </dl>
      <SignalsChart days={data.days} total={t.signals} />
      <div className="grid gap-5 lg:grid-cols-2">
        <RungsChart
          days={data.days}
          totals={[0, 1, 2, 3, 4].map((r) => data.days.reduce((n, d) => n + (d.reached[r] ?? 0), 0))}
        />
        <DepositsChart
          days={data.days}
          currency={data.currency}
          summary={`${num(t.newCustomers)} new ${t.newCustomers === 1 ? "customer" : "customers"}, ${deposits} from ${num(t.payers)} ${t.payers === 1 ? "person" : "people"}${refunds}`}
        />
      </div>
      <div className="grid gap-5 lg:grid-cols-2">
        <Panel
          title={`Unanswered threads (${num(data.unanswered.count)})`}
          action={
            <Link href={`${base}/conversations`} className="text-sm font-medium text-brand-700 hover:underline">
              All conversations
            </Link>
          }
        >
          {data.unanswered.oldest.length ? (
            <ul className="divide-y divide-slate-100">
              {data.unanswered.oldest.map((u) => (
                <li
                  key={u.conversationId}
                  className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 px-4 py-2.5 text-sm sm:px-5"
                >
                  <span className="min-w-0 truncate">{person(u.person)}</span>
                  <Link
                    href={`${base}/conversations/${u.conversationId}`}
                    className="text-slate-600 hover:text-brand-700"
                  >
                    {u.channel ? `${CHANNEL_NAMES[u.channel] ?? u.channel}, ` : ""}waiting since{" "}
                    {formatInZone(u.since, data.timezone)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-4 py-6 text-sm text-slate-500 sm:px-5">Every customer message has an answer.</p>
          )}
        </Panel>
        <Panel title="Recent activity">
          {data.recent.length ? (
            <ol className="divide-y divide-slate-100">
              {data.recent.map((e) => (
                <li key={e.id} className="flex items-start gap-3 px-4 py-2.5 text-sm sm:px-5">
                  <SourceIcon source={e.source} />
                  <div className="min-w-0 flex-1">
                    <p className="break-words text-slate-800">{e.summary}</p>
                    <p className="text-xs text-slate-500">
                      {person(e.person)} · {formatInZone(e.occurredAt, data.timezone)}
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <p className="px-4 py-6 text-sm text-slate-500 sm:px-5">No signals yet.</p>
          )}
        </Panel>
      </div>
    </div>
  );
}
