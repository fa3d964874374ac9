"use client";

import type { JourneyEvent } from "@/components/data/use-journey.ts";
import { formatInZone, RUNG_LABELS, SOURCE_LABELS } from "@/components/people/format.ts";
import { LANE_LABELS } from "@/lib/timeline/describe-event.ts";
import { Dialog, DialogHeader } from "./dialog.tsx";
import { RungReached } from "./rung-reached.tsx";
import { StepIcon } from "./step-icon.tsx";

const json = (v: unknown) => JSON.stringify(v, null, 2);

/** One event opened: everything it carried, in words first and then as it was stored. */
export function EventDetails({
  event,
  timeZone,
  onClose,
}: {
  event: JourneyEvent | null;
  timeZone: string;
  onClose: () => void;
}) {
  const e = event;
  return (
    <Dialog open={e !== null} onClose={onClose} title={e?.title ?? "Event"} labelledBy="event-details-title">
      {e ? (
        <>
          <DialogHeader id="event-details-title" title="Event details" onClose={onClose} />
          <div className="space-y-5 px-4 py-5 sm:px-6">
            <div className="flex gap-3">
              <StepIcon step={e.step} size="lg" />
              <div className="min-w-0">
                <p className="text-lg font-semibold leading-snug">{e.title}</p>
                <p className="mt-0.5 text-sm text-slate-500">
                  {formatInZone(e.occurredAt, timeZone, { dateStyle: "full", timeStyle: "medium" })}
                </p>
              </div>
            </div>
            {e.reached !== null ? <RungReached rung={e.reached} /> : null}
            {e.text ? (
              <blockquote className="whitespace-pre-wrap break-words rounded-2xl bg-slate-100 px-4 py-3 text-sm">
                {e.text}
              </blockquote>
            ) : null}
            <dl className="grid grid-cols-[minmax(0,8rem)_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
              {[
                ["Source", SOURCE_LABELS[e.source] ?? e.source],
                ["Where", LANE_LABELS[e.lane]],
                ["Direction", e.direction ? (e.direction === "in" ? "Inbound" : "Outbound") : null],
                ["Rung then", `${e.rung} · ${RUNG_LABELS[e.rung] ?? "?"}`],
                ["Event type", e.type],
                ["Event id", e.id],
                ...e.facts.map((f) => [f.label, f.value]),
              ]
                .filter(([, v]) => v)
                .map(([k, v]) => (
                  <div key={`${k}-${v}`} className="contents">
                    <dt className="text-slate-500">{k}</dt>
                    <dd className="min-w-0 break-words">{v}</dd>
                  </div>
                ))}
            </dl>
            {e.arrivedWith.length ? (
              <div>
                <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Arrived with</h3>
                <ul className="flex flex-wrap gap-1.5 text-xs">
                  {e.arrivedWith.map((i) => (
                    <li key={`${i.type}-${i.value}`} className="rounded-full bg-slate-100 px-2 py-0.5">
                      {i.type}
                      {i.value ? `: ${i.value}` : ""}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            <details className="text-xs">
              <summary className="cursor-pointer font-medium text-slate-600">As stored</summary>
              <pre className="mt-2 max-h-72 overflow-auto rounded-lg bg-slate-900 p-3 text-[11px] leading-relaxed text-slate-100">
                {json({ properties: e.properties, campaign: e.campaign, channel: e.channel })}
              </pre>
            </details>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
