"use client";

import { useWindowVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { type JourneyEvent, type JourneyFilters, useJourney } from "@/components/data/use-journey.ts";
import { LANE_LABELS } from "@/lib/timeline/describe-event.ts";
import { groupJourney, type JourneyRow } from "@/lib/timeline/group-journey.ts";
import { EventDetails } from "./event-details.tsx";
import { RungReached } from "./rung-reached.tsx";
import { StepIcon } from "./step-icon.tsx";

/** A merge, split or refused merge, placed in the journey where it happened. */
export interface JourneyRecord {
  id: string;
  at: string;
  kind: string;
  label: string;
  href: string | null;
}

type Row = JourneyRow<JourneyEvent, JourneyRecord>;

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function clock(at: string, timeZone: string) {
  let f = timeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" });
    timeFormats.set(timeZone, f);
  }
  return f.format(new Date(at));
}

function EventRow({ e, timeZone, onOpen }: { e: JourneyEvent; timeZone: string; onOpen: (e: JourneyEvent) => void }) {
  const facts = e.facts.slice(0, 5);
  const out = e.direction === "out" || e.type === "email_sent";
  return (
    <div className="flex gap-2 sm:gap-3" data-testid="journey-event">
      <time
        dateTime={e.occurredAt}
        className="hidden w-16 shrink-0 pt-2 text-right text-xs tabular-nums text-slate-500 sm:block"
      >
        {clock(e.occurredAt, timeZone)}
      </time>
      <div className="flex flex-col items-center pt-0.5">
        <StepIcon step={e.step} />
        <span aria-hidden className="mt-1 w-px flex-1 bg-slate-200" />
      </div>
      <button
        type="button"
        onClick={() => onOpen(e)}
        className="mb-3 min-w-0 flex-1 rounded-xl px-2.5 py-1.5 text-left transition hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-500"
        aria-label={`${e.title}, details`}
      >
        {e.reached !== null ? (
          <span className="mb-1 block">
            <RungReached rung={e.reached} />
          </span>
        ) : null}
        <span className="block text-xs tabular-nums text-slate-500 sm:hidden">{clock(e.occurredAt, timeZone)}</span>
        <span className="block font-medium text-slate-900">{e.title}</span>
        {e.text ? (
          <span
            className={`mt-1.5 block max-w-prose whitespace-pre-wrap break-words rounded-2xl px-3 py-2 text-sm ${out ? "rounded-tr-sm bg-brand-50 text-brand-900" : "rounded-tl-sm bg-slate-100 text-slate-800"}`}
            data-testid="message-text"
          >
            {e.text}
          </span>
        ) : null}
        {facts.length ? (
          <span className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600">
            {facts.map((f) => (
              <span key={`${f.label}-${f.value}`} className="min-w-0 break-words">
                <span className="text-slate-400">{f.label}</span> {f.value}
              </span>
            ))}
          </span>
        ) : null}
        <span className="mt-1 block text-[11px] text-slate-400">
          {LANE_LABELS[e.lane]}
          {e.direction ? ` · ${e.direction === "in" ? "inbound" : "outbound"}` : ""} · rung {e.rung}
        </span>
      </button>
    </div>
  );
}

function BurstRow({
  row,
  timeZone,
  onToggle,
}: {
  row: Extract<Row, { kind: "burst" }>;
  timeZone: string;
  onToggle: () => void;
}) {
  const pages = [...new Set(row.events.map((e) => e.properties.url as string | undefined).filter(Boolean))]
    .map((u) => {
      try {
        return new URL(u as string, "http://x.invalid").pathname;
      } catch {
        return u;
      }
    })
    .slice(0, 4);
  return (
    <div className="flex gap-2 sm:gap-3" data-testid="journey-burst">
      <time
        dateTime={row.events[0]?.occurredAt}
        className="hidden w-16 shrink-0 pt-2 text-right text-xs tabular-nums text-slate-500 sm:block"
      >
        {row.events[0] ? clock(row.events[0].occurredAt, timeZone) : ""}
      </time>
      <div className="flex flex-col items-center pt-0.5">
        <StepIcon step="page" />
        <span aria-hidden className="mt-1 w-px flex-1 bg-slate-200" />
      </div>
      <button
        type="button"
        onClick={onToggle}
        aria-expanded={row.expanded}
        className="mb-3 min-w-0 flex-1 rounded-xl border border-dashed border-slate-300 px-2.5 py-1.5 text-left hover:bg-slate-50"
      >
        <span className="block font-medium text-slate-900">{row.label}</span>
        <span className="mt-0.5 block truncate text-xs text-slate-500">
          {pages.join(" · ")}
          {row.events.length > pages.length ? " …" : ""}
        </span>
        <span className="mt-1 block text-xs font-medium text-brand-700">
          {row.expanded ? "Hide the steps" : `Show all ${row.events.length} steps`}
        </span>
      </button>
    </div>
  );
}

function RecordRow({ record }: { record: JourneyRecord }) {
  if (record.kind === "nudge")
    return (
      <div
        className="mb-3 ml-10 flex items-start gap-2 rounded-xl bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200 sm:ml-[5.5rem]"
        data-testid="journey-nudge"
      >
        <svg
          aria-hidden
          viewBox="0 0 24 24"
          className="mt-0.5 size-4 shrink-0"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path
            d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <span className="min-w-0">{record.label}</span>
      </div>
    );
  return (
    <div
      className="mb-3 ml-10 flex items-start gap-2 rounded-xl bg-violet-50 px-3 py-2 text-sm text-violet-900 ring-1 ring-violet-100 sm:ml-[5.5rem]"
      data-testid="journey-record"
    >
      <svg
        aria-hidden
        viewBox="0 0 24 24"
        className="mt-0.5 size-4 shrink-0"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
      >
        <path d="M6 3v6a6 6 0 0 0 6 6h6M18 15l-3-3M18 15l-3 3M6 21v-6" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span className="min-w-0">
        {record.label}
        {record.href ? (
          <>
            {" "}
            <Link href={record.href} className="font-medium underline">
              Open
            </Link>
          </>
        ) : null}
      </span>
    </div>
  );
}

function RowView({
  row,
  timeZone,
  onOpen,
  onToggle,
}: {
  row: Row;
  timeZone: string;
  onOpen: (e: JourneyEvent) => void;
  onToggle: (key: string) => void;
}) {
  switch (row.kind) {
    case "day":
      return (
        <h3
          className="flex items-center gap-3 pt-4 pb-3 text-sm font-semibold text-slate-900"
          data-testid="journey-day"
        >
          <span className="shrink-0">{row.label}</span>
          <span aria-hidden className="h-px flex-1 bg-slate-200" />
        </h3>
      );
    case "event":
      return <EventRow e={row.event} timeZone={timeZone} onOpen={onOpen} />;
    case "burst":
      return <BurstRow row={row} timeZone={timeZone} onToggle={() => onToggle(row.key)} />;
    case "record":
      return <RecordRow record={row.record} />;
  }
}

/**
 * The person's journey: days in the workspace's zone, each event in words, rung changes where they happen,
 * bursts folded, merges and splits among them. A window-virtualised list (only the rows on screen are in the
 * DOM) that loads the next keyset page as the end comes near, so a person with 10,000 events scrolls smoothly.
 */
export function JourneyView({
  slug,
  profileId,
  timeZone,
  firstDay,
  filters,
  records,
}: {
  slug: string;
  profileId: string;
  timeZone: string;
  firstDay: string;
  filters: JourneyFilters;
  records: JourneyRecord[];
}) {
  const journey = useJourney(slug, profileId, filters);
  const events = useMemo(() => journey.data?.pages.flatMap((p) => p.events) ?? [], [journey.data]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<JourneyEvent | null>(null);
  const filtered = filters.source !== null || filters.channel !== null;
  const rows = useMemo(
    () =>
      groupJourney(events, {
        timeZone,
        firstDay,
        records: filtered ? [] : records,
        expanded,
        complete: !journey.hasNextPage,
      }),
    [events, timeZone, firstDay, records, filtered, expanded, journey.hasNextPage],
  );
  const listRef = useRef<HTMLDivElement>(null);
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    // Where the list starts in the document: content above it may grow (fonts, filters), so it is measured
    // again whenever the page's size changes.
    const measure = () => {
      const top = (listRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
      setMargin((m) => (Math.abs(m - top) > 0.5 ? top : m));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (i) => (rows[i]?.kind === "day" ? 48 : rows[i]?.kind === "record" ? 52 : 96),
    overscan: 12,
    scrollMargin: margin,
    getItemKey: (i) => rows[i]?.key ?? i,
  });
  const items = virtualizer.getVirtualItems();
  // The day being read, kept in view while its rows scroll by.
  const start = virtualizer.range?.startIndex ?? 0;
  let currentDay: string | null = null;
  for (let i = Math.min(start, rows.length - 1); i >= 0 && !currentDay; i--) {
    const r = rows[i];
    if (r?.kind === "day") currentDay = r.label;
  }
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = journey;
  useEffect(() => {
    if (lastIndex >= rows.length - 15 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const empty = journey.isPending ? (
    <p className="text-sm text-slate-500">Loading the journey…</p>
  ) : journey.isError ? (
    <p className="text-sm text-red-600">The journey could not be loaded.</p>
  ) : !events.length ? (
    <p className="text-sm text-slate-500">No signals match this filter.</p>
  ) : null;
  const toggle = (key: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <div ref={listRef} aria-label="Journey" role="feed" aria-busy={isFetchingNextPage || journey.isPending}>
      {empty}
      {currentDay && start > 1 ? (
        <div className="pointer-events-none sticky top-2 z-10 -mb-7 flex justify-center">
          <span className="rounded-full bg-slate-900/90 px-3 py-1 text-xs font-semibold text-white shadow-md">
            {currentDay}
          </span>
        </div>
      ) : null}
      <div style={{ height: empty ? 0 : virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="absolute top-0 left-0 w-full"
              style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
            >
              <RowView row={row} timeZone={timeZone} onOpen={setOpen} onToggle={toggle} />
            </div>
          );
        })}
      </div>
      <p className={`py-3 text-center text-xs text-slate-400 ${empty ? "hidden" : ""}`} aria-live="polite">
        {isFetchingNextPage
          ? "Loading more…"
          : hasNextPage
            ? `${events.length.toLocaleString("en-US")} signals so far — scroll for more`
            : `${events.length.toLocaleString("en-US")} ${events.length === 1 ? "signal" : "signals"} · the whole journey`}
      </p>
      <EventDetails event={open} timeZone={timeZone} onClose={() => setOpen(null)} />
    </div>
  );
}
