"use client";

import { useState } from "react";
import { type DeliveryRow, useDeliveries, useIntegrations } from "@/components/data/use-integrations.ts";
import { Alert } from "@/components/ui/card.tsx";

const SCHEMES: Record<string, string> = {
  onethread: "X-OneThread-Signature",
  "standard-webhooks": "Standard Webhooks",
  cal: "X-Cal-Signature-256",
  calendly: "Calendly-Webhook-Signature",
  stripe: "Stripe-Signature",
  twilio: "X-Twilio-Signature",
  svix: "Svix-Signature",
};
const TONES: Record<DeliveryRow["outcome"], string> = {
  processed: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  ignored: "bg-slate-50 text-slate-600 ring-slate-200",
  failed: "bg-red-50 text-red-700 ring-red-200",
  received: "bg-amber-50 text-amber-800 ring-amber-200",
};
const when = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium" });

/** Every verified delivery, newest first, filtered by integration. Unsigned requests are refused and never kept. */
export function DeliveryLog({ slug }: { slug: string }) {
  const [provider, setProvider] = useState<string | null>(null);
  const integrations = useIntegrations(slug);
  const deliveries = useDeliveries(slug, provider);
  const rows = deliveries.data?.deliveries ?? [];
  return (
    <div className="space-y-4">
      <label className="flex items-center gap-2 text-sm text-slate-700">
        Show
        <select
          className="h-9 rounded-lg border border-slate-300 bg-white px-2 text-sm"
          value={provider ?? ""}
          onChange={(e) => setProvider(e.target.value || null)}
        >
          <option value="">All integrations</option>
          {integrations.data?.map((i) => (
            <option key={i.provider} value={i.provider}>
              {i.provider}
            </option>
          ))}
        </select>
      </label>
      {deliveries.isError ? <Alert tone="error">The delivery log could not be loaded.</Alert> : null}
      {deliveries.isSuccess && rows.length === 0 ? <p className="text-sm text-slate-500">No deliveries yet.</p> : null}
      <ol className="divide-y divide-slate-100" aria-label="Deliveries">
        {rows.map((d) => (
          <li
            key={d.id}
            className="grid gap-1 py-3 text-sm sm:grid-cols-[11rem_1fr_auto] sm:gap-4"
            data-testid="delivery"
          >
            <div className="text-slate-500">
              <time dateTime={d.receivedAt}>{when(d.receivedAt)}</time>
              <div className="font-mono text-xs">{d.provider}</div>
            </div>
            <div className="min-w-0 space-y-0.5">
              <div className="font-medium text-slate-800">{d.summary ?? "—"}</div>
              <div className="text-xs text-slate-500">
                Verified ✓ {SCHEMES[d.scheme] ?? d.scheme} · {d.eventCount} {d.eventCount === 1 ? "event" : "events"}
                {d.attempts > 1 ? ` · ${d.attempts} attempts` : ""}
              </div>
              {d.error ? <div className="break-words text-xs text-red-700">{d.error}</div> : null}
            </div>
            <div>
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${TONES[d.outcome]}`}>
                {d.outcome}
              </span>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
