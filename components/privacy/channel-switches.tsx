"use client";

import { useState } from "react";
import { usePrivacyPreferences } from "@/components/data/use-privacy-preferences.ts";
import { Alert } from "@/components/ui/card.tsx";
import type { ChannelState, PreferenceChannel } from "@/lib/privacy/preferences/channels.ts";

const COPY: Record<PreferenceChannel, { label: string; on: string; off: string }> = {
  email: { label: "Email", on: "may email you", off: "won't email you" },
  sms: { label: "SMS", on: "may text you", off: "won't text you" },
  whatsapp: { label: "WhatsApp", on: "may message you on WhatsApp", off: "won't message you on WhatsApp" },
  tracking: {
    label: "Website tracking",
    on: "may link your visits to its website to you",
    off: "won't record your visits to its website",
  },
};

/** The per-channel switches (P9): each one opts out of that channel, or back in, at once. */
export function ChannelSwitches({ business, initial }: { business: string; initial: ChannelState[] }) {
  const [channels, setChannels] = useState(initial);
  const { setChannel } = usePrivacyPreferences();
  const [saved, setSaved] = useState<string | null>(null);

  const toggle = (c: ChannelState) => {
    setSaved(null);
    setChannel.mutate(
      { channel: c.channel, allowed: !c.allowed },
      {
        onSuccess: (data) => {
          setChannels(data.channels);
          const now = data.channels.find((x) => x.channel === c.channel);
          setSaved(`Saved: ${business} ${now?.allowed ? COPY[c.channel].on : COPY[c.channel].off}.`);
        },
      },
    );
  };

  return (
    <div className="space-y-3">
      <ul className="divide-y divide-slate-100">
        {channels.map((c) => {
          const copy = COPY[c.channel];
          const busy = setChannel.isPending && setChannel.variables?.channel === c.channel;
          return (
            <li key={c.channel} className="flex items-center justify-between gap-4 py-3">
              <div className="min-w-0">
                <p id={`switch-${c.channel}`} className="font-medium text-slate-900">
                  {copy.label}
                </p>
                <p id={`switch-${c.channel}-state`} className="text-sm text-slate-600">
                  {business} {c.allowed ? copy.on : copy.off}
                  {c.partly ? ` (${c.partly})` : ""}
                </p>
              </div>
              <button
                type="button"
                role="switch"
                aria-checked={c.allowed}
                aria-labelledby={`switch-${c.channel}`}
                aria-describedby={`switch-${c.channel}-state`}
                disabled={setChannel.isPending}
                onClick={() => toggle(c)}
                className={`relative inline-flex h-8 w-14 shrink-0 items-center rounded-full transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:opacity-60 ${
                  c.allowed ? "bg-brand-600" : "bg-slate-400"
                }`}
              >
                <span className="sr-only">{busy ? "Saving…" : c.allowed ? "On" : "Off"}</span>
                <span
                  aria-hidden
                  className={`inline-block size-6 rounded-full bg-white shadow transition ${c.allowed ? "translate-x-7" : "translate-x-1"}`}
                />
              </button>
            </li>
          );
        })}
      </ul>
      {setChannel.isError ? <Alert tone="error">{setChannel.error.message}</Alert> : null}
      {saved ? <Alert tone="success">{saved}</Alert> : null}
    </div>
  );
}
