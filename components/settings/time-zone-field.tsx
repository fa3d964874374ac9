"use client";

import { type KeyboardEvent, useId, useMemo, useState } from "react";
import { Label } from "@/components/ui/field.tsx";
import { matchesTimeZone, type TimeZoneOption, timeZoneOptions } from "@/lib/workspaces/time-zones.ts";

const MAX_SHOWN = 60;

/**
 * The workspace's time zone as a searchable list of IANA zones (an ARIA combobox): type a city, a zone name
 * ("pacific"), an id or an offset ("+5:30"), pick with the mouse or the arrow keys and Enter. Each option
 * shows its offset today and the time there now.
 */
export function TimeZoneField({
  value,
  onChange,
  error,
  disabled,
}: {
  value: string;
  onChange: (zone: string) => void;
  error?: string | null;
  disabled?: boolean;
}) {
  const id = useId();
  const options = useMemo(() => timeZoneOptions(new Date(), value), [value]);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const open = query !== null;
  const shown = useMemo(
    () => (open ? options.filter((o) => matchesTimeZone(o, query ?? "")).slice(0, MAX_SHOWN) : []),
    [open, options, query],
  );
  const current = options.find((o) => o.id === value);

  function pick(o: TimeZoneOption) {
    onChange(o.id);
    setQuery(null);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) setQuery("");
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => Math.max(0, Math.min(shown.length - 1, a + step)));
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      const o = shown[active];
      if (o) pick(o);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      setQuery(null);
    }
  }

  return (
    <div className="relative space-y-1.5">
      <Label htmlFor={id}>Time zone</Label>
      <input
        id={id}
        name="timezone"
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={open && shown[active] ? `${id}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={open ? (query ?? "") : value}
        placeholder={open ? "Search: a city, “pacific”, “+5:30”…" : undefined}
        onFocus={(e) => {
          setQuery("");
          setActive(
            Math.max(
              0,
              options.findIndex((o) => o.id === value),
            ),
          );
          e.currentTarget.select();
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          // A zone typed out in full counts as picked (pasting "Europe/Berlin" and saving works).
          const exact = options.find((o) => o.id.toLowerCase() === e.target.value.trim().toLowerCase());
          if (exact) onChange(exact.id);
        }}
        onBlur={() => {
          // Typed but not picked: the text is the value, so saving checks it (and says so if it is no zone).
          const typed = query?.trim();
          if (typed && typed !== value) {
            const exact = options.find((o) => o.id.toLowerCase() === typed.toLowerCase());
            onChange(exact?.id ?? typed);
          }
          setQuery(null);
        }}
        onKeyDown={onKeyDown}
        className="block h-9.5 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-brand-500 focus:outline-2 focus:outline-brand-500/30 disabled:bg-slate-50 disabled:text-slate-500 aria-invalid:border-red-500"
      />
      {open ? (
        <div
          id={`${id}-list`}
          role="listbox"
          aria-label="Time zones"
          className="absolute z-10 mt-px max-h-72 w-full overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {shown.length ? (
            shown.map((o, i) => (
              <div
                key={o.id}
                id={`${id}-${i}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                // mousedown, not click: it comes before the input's blur closes the list
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(o);
                }}
                onMouseEnter={() => setActive(i)}
                className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-1.5 ${i === active ? "bg-brand-50 text-brand-700" : "text-slate-800"}`}
              >
                <span className="min-w-0">
                  <span className="font-medium">{o.city}</span>
                  <span className="ml-1.5 break-all text-xs text-slate-500">{o.id}</span>
                  {o.name ? <span className="block text-xs text-slate-500">{o.name}</span> : null}
                </span>
                <span className="shrink-0 text-xs tabular-nums text-slate-500">{o.offset}</span>
              </div>
            ))
          ) : (
            <p className="px-3 py-2 text-slate-500">No time zone matches “{query}”.</p>
          )}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-hint`} className="text-xs text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-slate-500" suppressHydrationWarning>
          {current
            ? `${current.name ? `${current.name}, ` : ""}${current.offset} — now ${new Intl.DateTimeFormat("en-US", { timeZone: current.id, timeStyle: "short" }).format(new Date())} there. `
            : ""}
          Days, charts and times in the app use this zone.
        </p>
      )}
    </div>
  );
}
