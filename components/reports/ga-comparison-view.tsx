import Link from "next/link";
import type { GaComparison } from "@/lib/reports/ga-comparison.ts";

const STATUS = {
  live: null,
  partial: { label: "Partly built", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  later: { label: "Coming later", className: "bg-slate-100 text-slate-600 ring-slate-200" },
} as const;

/**
 * The product page's comparison, answered: each question with what Google Analytics shows and what this
 * workspace's own data says, in figures, with a link to the page that proves it.
 */
export function GaComparisonView({ name, report }: { name: string; report: GaComparison }) {
  return (
    <ol className="space-y-4">
      {report.questions.map((q, i) => {
        const status = STATUS[q.status];
        return (
          <li key={q.id} data-testid={`question-${q.id}`}>
            <article className="rounded-xl border border-slate-200 bg-white shadow-xs">
              <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3 sm:px-5">
                <h2 className="text-base font-semibold text-slate-900">
                  <span className="mr-2 text-slate-400 tabular-nums">{i + 1}.</span>
                  {q.question}
                </h2>
                {status ? (
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${status.className}`}>
                    {status.label}
                  </span>
                ) : null}
              </header>
              <div className="grid gap-0 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
                <div className="border-b border-slate-100 px-4 py-3 sm:border-r sm:border-b-0 sm:px-5">
                  <p className="text-xs font-medium uppercase tracking-wide text-slate-400">Google Analytics</p>
                  <p className="mt-1 text-sm text-slate-600">{q.ga}</p>
                </div>
                <div className="px-4 py-3 sm:px-5">
                  <p className="text-xs font-medium uppercase tracking-wide text-brand-700">{name}</p>
                  <p className="mt-1 break-words text-sm font-medium text-slate-900" data-testid="answer">
                    {q.answer}
                  </p>
                  {q.proof ? (
                    <Link
                      href={q.proof.path}
                      className="mt-2 inline-block text-sm font-medium text-brand-700 hover:underline"
                    >
                      {q.proof.label} →
                    </Link>
                  ) : null}
                </div>
              </div>
            </article>
          </li>
        );
      })}
    </ol>
  );
}
