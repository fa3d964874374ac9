import { RUNG_LABELS } from "@/components/people/format.ts";

/** Where an event took the person up the ladder. */
export function RungReached({ rung }: { rung: number }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700 ring-1 ring-brand-100">
      <svg aria-hidden viewBox="0 0 24 24" className="size-3" fill="none" stroke="currentColor" strokeWidth="2.5">
        <path d="M12 19V5M5 12l7-7 7 7" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {rung === 0 ? "First seen · rung 0 · Device" : `Climbed to rung ${rung} · ${RUNG_LABELS[rung] ?? "?"}`}
    </span>
  );
}
