"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/data/fetch-json.ts";
import { Button } from "@/components/ui/button.tsx";
import { formatInZone, SOURCE_LABELS } from "./format.ts";
import { SourceIcon } from "./source-icon.tsx";

interface TimelineEvent {
  id: string;
  source: string;
  type: string;
  occurredAt: string;
  rung: number;
  channel: string | null;
  direction: string | null;
  summary: string;
}

/** One person's signals, oldest first, 100 at a time (TanStack infinite query over the session API). */
export function useTimeline(slug: string, profileId: string, source: string | null) {
  return useInfiniteQuery({
    queryKey: ["workspace", slug, "people", profileId, "timeline", source],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ limit: "100" });
      if (pageParam) q.set("cursor", pageParam);
      if (source) q.set("source", source);
      return fetchJson<{ events: TimelineEvent[]; nextCursor: string | null }>(
        `/api/app/${slug}/people/${profileId}/timeline?${q}`,
      );
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function Timeline({
  slug,
  profileId,
  timeZone,
  source,
}: {
  slug: string;
  profileId: string;
  timeZone: string;
  source: string | null;
}) {
  const timeline = useTimeline(slug, profileId, source);
  const events = timeline.data?.pages.flatMap((p) => p.events) ?? [];
  if (timeline.isPending) return <p className="text-sm text-slate-500">Loading the timeline…</p>;
  if (timeline.isError) return <p className="text-sm text-red-600">The timeline could not be loaded.</p>;
  if (!events.length)
    return <p className="text-sm text-slate-500">No signals{source ? ` from ${SOURCE_LABELS[source]}` : ""} yet.</p>;
  return (
    <div>
      <ol aria-label="Timeline" className="relative space-y-0 border-l border-slate-200 pl-6">
        {events.map((e) => (
          <li key={e.id} className="relative pb-4" data-testid="timeline-event">
            <span className="absolute -left-[38px] top-0">
              <SourceIcon source={e.source} />
            </span>
            <div className="flex flex-wrap items-baseline gap-x-3">
              <time dateTime={e.occurredAt} className="text-xs tabular-nums text-slate-500">
                {formatInZone(e.occurredAt, timeZone)}
              </time>
              <span className="text-xs text-slate-400">
                {SOURCE_LABELS[e.source] ?? e.source}
                {e.channel && e.channel !== e.source ? ` · ${e.channel}` : ""} · rung {e.rung}
              </span>
            </div>
            <p className="mt-0.5 text-sm text-slate-800">{e.summary}</p>
          </li>
        ))}
      </ol>
      {timeline.hasNextPage ? (
        <Button variant="secondary" onClick={() => timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
          {timeline.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </div>
  );
}
