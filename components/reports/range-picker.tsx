import Link from "next/link";
import { PRESETS, type Preset } from "@/lib/reports/report-range.ts";

const LABELS: Record<Preset, string> = { "7d": "7 days", "30d": "30 days", "90d": "90 days", "365d": "12 months" };

/**
 * The range of a report page, in its URL (so a view can be shared and comes back on "Back"): the presets end
 * now and start at local midnight; "From … to …" picks whole local days. A plain GET form: no script needed.
 */
export function RangePicker({
  path,
  preset,
  fromDay,
  toDay,
}: {
  path: string;
  preset: Preset | null;
  fromDay: string;
  toDay: string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <nav aria-label="Date range" className="inline-flex rounded-lg bg-slate-100 p-0.5">
        {PRESETS.map((p) => (
          <Link
            key={p}
            href={`${path}?range=${p}`}
            aria-current={preset === p ? "page" : undefined}
            className={`rounded-md px-2.5 py-1.5 whitespace-nowrap ${preset === p ? "bg-white font-medium text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"}`}
          >
            {LABELS[p]}
          </Link>
        ))}
      </nav>
      <form action={path} className="flex flex-wrap items-center gap-1.5">
        <label className="sr-only" htmlFor="range-from">
          From
        </label>
        <input
          id="range-from"
          type="date"
          name="from"
          defaultValue={fromDay}
          max={toDay}
          className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm"
        />
        <span className="text-slate-400">to</span>
        <label className="sr-only" htmlFor="range-to">
          To
        </label>
        <input
          id="range-to"
          type="date"
          name="to"
          defaultValue={toDay}
          className="rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm"
        />
        <button
          type="submit"
          className="rounded-lg px-2.5 py-1.5 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-white"
        >
          Show
        </button>
      </form>
    </div>
  );
}
