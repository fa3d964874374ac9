import Link from "next/link";
import type { RefundsReport } from "@/lib/reports/refunds.ts";
import { num } from "./format.ts";

const money = (amount: number, currency: string) => {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount / 100);
  } catch {
    return `${num(amount / 100)} ${currency}`;
  }
};

/** −1…1 in words and colour: below −0.2 unhappy, above 0.2 happy, else neutral. */
function Mood({ value }: { value: number }) {
  const tone =
    value < -0.2
      ? { label: "Unhappy", className: "bg-red-50 text-red-700 ring-red-200" }
      : value > 0.2
        ? { label: "Happy", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" }
        : { label: "Neutral", className: "bg-slate-100 text-slate-700 ring-slate-200" };
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${tone.className}`} data-testid="sentiment">
      {tone.label} {value > 0 ? "+" : ""}
      {value.toFixed(2)}
    </span>
  );
}

/** Each refund and cancellation with the customer's words around it. */
export function RefundsView({ report, slug, timeZone }: { report: RefundsReport; slug: string; timeZone: string }) {
  const when = (d: Date) => d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs">
          <dt className="text-xs text-slate-500">Refunded</dt>
          <dd className="mt-1 text-lg font-semibold" data-testid="total-refunded">
            {report.totals.length ? report.totals.map((t) => money(t.amount, t.currency)).join(" + ") : money(0, "USD")}
          </dd>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs">
          <dt className="text-xs text-slate-500">Refunds</dt>
          <dd className="mt-1 text-lg font-semibold">{num(report.totals.reduce((n, t) => n + t.refunds, 0))}</dd>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs">
          <dt className="text-xs text-slate-500">Cancelled bookings</dt>
          <dd className="mt-1 text-lg font-semibold">{num(report.cancellations)}</dd>
        </div>
      </dl>
      {report.refunds.length ? null : (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-8 text-center text-sm text-slate-500">
          No refunds or cancelled bookings in this range.
        </p>
      )}
      <ol className="space-y-4">
        {report.refunds.map((r) => (
          <li key={r.id} data-testid="refund">
            <article className="rounded-xl border border-slate-200 bg-white shadow-xs">
              <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3 sm:px-5">
                <div className="min-w-0">
                  <h2 className="text-base font-semibold text-slate-900">
                    {r.kind === "refund" ? "Refund" : "Cancelled booking"}
                    {r.amount !== null && r.currency ? ` · ${money(r.amount, r.currency)}` : ""}
                  </h2>
                  <p className="text-xs text-slate-500">
                    {when(r.refundedAt)}
                    {r.profileId ? (
                      <>
                        {" · "}
                        <Link
                          href={`/app/${slug}/people/${r.profileId}`}
                          className="font-medium text-brand-700 hover:underline"
                        >
                          {r.person ?? "The customer"}
                        </Link>
                      </>
                    ) : null}
                  </p>
                </div>
                <Mood value={r.sentiment} />
              </header>
              <div className="space-y-3 px-4 py-3 sm:px-5">
                {r.quote ? (
                  <blockquote
                    className="border-l-4 border-slate-300 pl-3 text-sm text-slate-800 italic"
                    data-testid="quote"
                  >
                    “{r.quote}”
                  </blockquote>
                ) : (
                  <p className="text-sm text-slate-500">The customer wrote nothing around it.</p>
                )}
                {r.thread.length ? (
                  <details>
                    <summary className="cursor-pointer text-sm font-medium text-brand-700">
                      The thread around it ({r.thread.length} {r.thread.length === 1 ? "message" : "messages"})
                    </summary>
                    <ul className="mt-2 space-y-2" data-testid="thread">
                      {r.thread.map((m) => (
                        <li key={m.id} className={`flex ${m.direction === "in" ? "justify-start" : "justify-end"}`}>
                          <div
                            className={`max-w-[85%] rounded-lg px-3 py-2 text-sm ${m.direction === "in" ? "bg-slate-100 text-slate-900" : "bg-brand-50 text-slate-900"}`}
                          >
                            <p className="whitespace-pre-line break-words">{m.text}</p>
                            <p className="mt-1 text-xs text-slate-500">
                              {m.direction === "in" ? "Customer" : "You"}
                              {m.via ? ` via ${m.via}` : ""} · {when(m.occurredAt)}
                              {m.sentiment !== null && m.sentiment !== 0
                                ? ` · ${m.sentiment > 0 ? "+" : ""}${m.sentiment.toFixed(2)}`
                                : ""}
                            </p>
                          </div>
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </div>
            </article>
          </li>
        ))}
      </ol>
      <p className="text-xs text-slate-500">
        Sentiment: the customer's words in the 14 days before to 3 days after, scored word by word with AFINN (negations
        such as "not happy" count against), averaged and scaled to −1…1. The quote is their sentence that scores
        strongest.
      </p>
    </div>
  );
}
