"use client";

import { useState } from "react";
import { fetchJson } from "@/components/data/fetch-json.ts";

/** The member's own "email me the Friday summary" switch. */
export function SummarySwitch({ slug, on }: { slug: string; on: boolean }) {
  const [value, setValue] = useState(on);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await fetchJson<{ weeklySummary: boolean }>(`/api/app/${slug}/weekly-summary`, {
        method: "PUT",
        body: { on: !value },
      });
      setValue(r.weeklySummary);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        role="switch"
        aria-checked={value}
        aria-label="Email me this summary every Friday at 5 pm"
        disabled={busy}
        onClick={toggle}
        className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition ${value ? "bg-brand-600" : "bg-slate-300"} disabled:opacity-60`}
      >
        <span
          aria-hidden
          className={`inline-block size-5 rounded-full bg-white shadow transition ${value ? "translate-x-5" : "translate-x-0.5"}`}
        />
      </button>
      <span className="text-sm text-slate-700">
        {value ? "You get this email every Friday at 5 pm." : "You don't get this email."}
      </span>
      {error ? (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      ) : null}
    </div>
  );
}
