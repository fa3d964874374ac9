import { formatInZone, RUNG_LABELS } from "@/components/people/format.ts";
import { Card } from "@/components/ui/card.tsx";
import type { PersonOverview } from "@/lib/people/person-overview.ts";
import { TouchView } from "./touch-view.tsx";

const REQUEST_WORDS: Record<string, string> = { export: "Export", erasure: "Erasure", opt_out: "Opt-out" };

/** Beside the journey: the ladder, the identifiers, attribution and the privacy requests about this person. */
export function PersonSide({ person, zone }: { person: PersonOverview; zone: string }) {
  return (
    <div className="min-w-0 space-y-6">
      <Card title="Identity ladder">
        <ol className="space-y-2" aria-label="Identity ladder">
          {RUNG_LABELS.map((label, r) => {
            const step = person.ladder.find((l) => l.rung === r);
            return (
              <li key={label} className={`flex gap-3 text-sm ${step ? "" : "opacity-40"}`}>
                <span
                  className={`mt-0.5 inline-flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${step ? "bg-brand-600 text-white" : "bg-slate-200 text-slate-500"}`}
                >
                  {r}
                </span>
                <div className="min-w-0">
                  <p className="font-medium">{label}</p>
                  {step ? (
                    <p className="text-xs text-slate-500">
                      {formatInZone(step.reachedAt, zone)}
                      {step.event?.summary ? ` · ${step.event.summary}` : ""}
                    </p>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ol>
      </Card>
      <Card title="Identifiers" description="Stored as keyed hashes; the readable value sealed, shown to members.">
        <ul className="space-y-1.5 text-sm" aria-label="Identifiers">
          {person.identifiers.map((i) => (
            <li key={i.id} className="flex items-baseline justify-between gap-3">
              <span className="shrink-0 text-slate-500">{i.type}</span>
              <span className="min-w-0 truncate text-right font-mono text-xs" title={i.value ?? undefined}>
                {i.value ?? `first seen ${formatInZone(i.createdAt, zone, { dateStyle: "medium" })}`}
                {i.shared ? " (shared)" : ""}
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Attribution">
        <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">First touch</h3>
        <TouchView touch={person.firstTouch} zone={zone} />
        <h3 className="mt-3 mb-1 text-xs font-semibold uppercase text-slate-500">Last touch</h3>
        <TouchView touch={person.lastTouch} zone={zone} />
      </Card>
      {person.requests.length ? (
        <Card title="Privacy requests" description="Each export and opt-out is logged (P12).">
          <ul className="space-y-1 text-xs text-slate-600" aria-label="Privacy requests">
            {person.requests.map((r) => (
              <li key={r.id}>
                {REQUEST_WORDS[r.kind] ?? r.kind} via {r.via} · {r.status}{" "}
                {formatInZone(r.completedAt ?? r.receivedAt, zone)}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
