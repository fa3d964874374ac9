import Link from "next/link";
import { RungBadge } from "@/components/people/rung-badge.tsx";
import type { LadderReport } from "@/lib/reports/ladder-report.ts";
import { hoursLabel, num, pct, RUNG_COLORS } from "./format.ts";

const WHAT = [
  "A first-party cookie on their browser; nobody knows who they are yet.",
  "The same browser came back on another visit.",
  "They gave an email: a form, a tracked email, the chatbot.",
  "Their phone joined the record: a text, WhatsApp, a call.",
  "They paid, booked or opened an account: a customer.",
];

/**
 * The five rungs as a funnel: how many reached each rung in the range (bar), how many stand on it now (a link
 * to those people), and between rungs the share that climbed on and the median time it took.
 */
export function LadderView({ slug, report }: { slug: string; report: LadderReport }) {
  const top = Math.max(1, ...report.rungs.map((r) => r.reached));
  const people = `/app/${slug}/people`;
  return (
    <div className="space-y-5">
      <ol aria-label="The ladder" className="space-y-0">
        {report.rungs.map((r) => {
          const step = report.steps[r.rung];
          return (
            <li key={r.rung}>
              <Link
                href={`${people}?rung=${r.rung}`}
                data-testid={`rung-${r.rung}`}
                className="group block rounded-xl border border-slate-200 bg-white px-4 py-3.5 shadow-xs hover:border-brand-300 sm:px-5"
              >
                <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                  <div className="flex min-w-0 items-center gap-2">
                    <RungBadge rung={r.rung} />
                    <span className="hidden text-sm text-slate-500 md:inline">{WHAT[r.rung]}</span>
                  </div>
                  <p className="text-sm text-slate-600">
                    <span
                      className="text-lg font-semibold tabular-nums text-slate-900"
                      data-testid={`reached-${r.rung}`}
                    >
                      {num(r.reached)}
                    </span>{" "}
                    reached ·{" "}
                    <span
                      className="font-medium tabular-nums text-slate-900 group-hover:text-brand-700"
                      data-testid={`now-${r.rung}`}
                    >
                      {num(r.people)}
                    </span>{" "}
                    on it now →
                  </p>
                </div>
                <div className="mt-2 h-2.5 overflow-hidden rounded-full bg-slate-100">
                  <div
                    className="h-full rounded-full"
                    style={{ width: `${(r.reached / top) * 100}%`, backgroundColor: RUNG_COLORS[r.rung] }}
                  />
                </div>
              </Link>
              {step ? (
                <p
                  className="flex flex-wrap items-center gap-x-2 py-2 pl-5 text-sm text-slate-600 sm:pl-8"
                  data-testid={`step-${step.from}`}
                >
                  <span aria-hidden className="text-slate-400">
                    ↓
                  </span>
                  <span>
                    <span className="font-medium text-slate-900">{pct(step.rate)}</span> climbed to rung {step.to} (
                    {num(step.climbed)} of {num(step.people)})
                  </span>
                  <span className="text-slate-400">·</span>
                  <span>median {hoursLabel(step.medianHours)}</span>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <p className="text-sm text-slate-500">
        A rung counts as reached the first time someone stands on it or higher: a quote form on the first visit reaches
        rungs 1 and 2 at once. Each rate is of the people who reached the lower rung in this range, counting those who
        climbed before the range ended. “On it now” counts everyone, whenever they arrived.
      </p>
    </div>
  );
}
