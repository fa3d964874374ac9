import Link from "next/link";
import type { TopicsReport } from "@/lib/reports/topics.ts";
import { num } from "../format.ts";

type Topic = TopicsReport["topics"][number];

/** A topic's weeks as small bars, oldest first; the report's week darker. */
function Trend({ weekly }: { weekly: number[] }) {
  const max = Math.max(1, ...weekly);
  return (
    <span className="inline-flex h-6 items-end gap-0.5" role="img" aria-label={`Per week: ${weekly.join(", ")}`}>
      {weekly.map((n, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: weeks are positions
          key={i}
          className={`w-2 rounded-sm ${i === weekly.length - 1 ? "bg-brand-600" : "bg-slate-300"}`}
          style={{ height: `${Math.max(8, (n / max) * 100)}%`, opacity: n ? 1 : 0.35 }}
        />
      ))}
    </span>
  );
}

export function TopicBadges({ t }: { t: Pick<Topic, "emerging" | "offered" | "kind"> }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {t.emerging ? (
        <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200">
          Emerging
        </span>
      ) : null}
      {!t.offered ? (
        <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">
          Not offered
        </span>
      ) : null}
      {t.kind === "discovered" ? (
        <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-200">
          New phrase
        </span>
      ) : null}
    </span>
  );
}

/**
 * The topics table: what customers asked about in the report's week, against the week before, with the
 * weeks' trend. Each topic opens its messages (`?topic=`).
 */
export function TopicsView({
  report,
  base,
  selected,
}: {
  report: TopicsReport;
  base: string;
  selected: string | null;
}) {
  const asking = report.topics.filter((t) => t.count > 0 || t.previousCount > 0);
  const unsold = asking.filter((t) => t.count > 0 && (!t.offered || t.kind === "discovered"));
  const emerging = asking.filter((t) => t.emerging);
  const link = (t: Topic) => `${base}?weeks=${report.weeks}&topic=${t.id}`;
  if (!asking.length)
    return (
      <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-8 text-center text-sm text-slate-500">
        No customer questions counted in these weeks yet. Messages, email replies and forms are counted every five
        minutes as they arrive.
      </p>
    );
  return (
    <div className="space-y-5">
      <div className="grid gap-4 sm:grid-cols-2">
        <section className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs sm:px-5">
          <h2 className="text-sm font-semibold text-slate-900">Emerging this week</h2>
          <p className="text-xs text-slate-500">
            At least 3 asks, more than last week, twice the earlier weeks' average.
          </p>
          <ul className="mt-2 space-y-1 text-sm" data-testid="emerging">
            {emerging.length ? (
              emerging.map((t) => (
                <li key={t.id}>
                  <Link href={link(t)} className="font-medium text-brand-700 hover:underline">
                    {t.topic}
                  </Link>{" "}
                  <span className="text-slate-500">
                    {num(t.count)} (was {num(t.previousCount)})
                  </span>
                </li>
              ))
            ) : (
              <li className="text-slate-500">Nothing is growing fast this week.</li>
            )}
          </ul>
        </section>
        <section className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-xs sm:px-5">
          <h2 className="text-sm font-semibold text-slate-900">Asked for, not on your list</h2>
          <p className="text-xs text-slate-500">Marked "we don't offer this", or new phrases found in questions.</p>
          <ul className="mt-2 space-y-1 text-sm" data-testid="unsold">
            {unsold.length ? (
              unsold.slice(0, 8).map((t) => (
                <li key={t.id}>
                  <Link href={link(t)} className="font-medium text-brand-700 hover:underline">
                    {t.topic}
                  </Link>{" "}
                  <span className="text-slate-500">{num(t.count)} this week</span>
                </li>
              ))
            ) : (
              <li className="text-slate-500">Everything asked about is something you offer.</li>
            )}
          </ul>
        </section>
      </div>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
        <table className="w-full text-sm" data-testid="topics-table">
          <thead className="border-b border-slate-100 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2 font-medium">Topic</th>
              <th className="px-3 py-2 text-right font-medium">This week</th>
              <th className="hidden px-3 py-2 text-right font-medium sm:table-cell">Week before</th>
              <th className="px-3 py-2 font-medium">
                <span className="sr-only sm:not-sr-only">{report.weeks} weeks</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {asking.map((t) => (
              <tr
                key={t.id}
                className={`border-b border-slate-50 last:border-0 ${selected === t.id ? "bg-brand-50" : ""}`}
                data-testid="topic-row"
              >
                <td className="px-4 py-2">
                  <Link href={link(t)} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                    {t.topic}
                  </Link>
                  <div className="mt-0.5">
                    <TopicBadges t={t} />
                  </div>
                </td>
                <td className="px-3 py-2 text-right font-semibold tabular-nums">{num(t.count)}</td>
                <td className="hidden px-3 py-2 text-right text-slate-500 tabular-nums sm:table-cell">
                  {num(t.previousCount)}
                </td>
                <td className="px-3 py-2">
                  <Trend weekly={t.weekly} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.skipped.length ? (
        <p className="text-xs text-slate-500" data-testid="skipped">
          Not counted (only English is read):{" "}
          {report.skipped.map((s) => `${num(s.count)} in ${languageName(s.language)}`).join(", ")} in these{" "}
          {report.weeks} weeks.
        </p>
      ) : null}
    </div>
  );
}

const LANGUAGES: Record<string, string> = {
  spa: "Spanish",
  fra: "French",
  deu: "German",
  por: "Portuguese",
  ita: "Italian",
  nld: "Dutch",
  pol: "Polish",
  rus: "Russian",
  ukr: "Ukrainian",
  cmn: "Chinese",
  jpn: "Japanese",
  kor: "Korean",
  arb: "Arabic",
  hin: "Hindi",
  vie: "Vietnamese",
  tur: "Turkish",
};

function languageName(code: string) {
  if (code === "und") return "a language we could not tell";
  if (LANGUAGES[code]) return LANGUAGES[code];
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
