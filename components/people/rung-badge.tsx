import { RUNG_LABELS } from "./format.ts";

const COLORS = [
  "bg-slate-100 text-slate-600",
  "bg-sky-50 text-sky-700",
  "bg-indigo-50 text-indigo-700",
  "bg-violet-50 text-violet-700",
  "bg-emerald-50 text-emerald-700",
];

export function RungBadge({ rung }: { rung: number }) {
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${COLORS[rung] ?? COLORS[0]}`}
    >
      <span className="tabular-nums">{rung}</span> {RUNG_LABELS[rung] ?? "?"}
    </span>
  );
}
