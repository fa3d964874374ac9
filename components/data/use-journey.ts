"use client";

import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import type { JourneyEvent } from "@/lib/timeline/get-journey.ts";
import type { Replay } from "@/lib/timeline/replay-frames.ts";
import { fetchJson } from "./fetch-json.ts";

export type { JourneyEvent } from "@/lib/timeline/get-journey.ts";
export type { Replay, ReplayFrame } from "@/lib/timeline/replay-frames.ts";

export interface JourneyFilters {
  source: string | null;
  channel: string | null;
}

const base = (slug: string, profileId: string) => `/api/app/${slug}/people/${profileId}`;

/** One person's journey, oldest first, 200 events a page (keyset cursor), filtered by source and channel. */
export function useJourney(slug: string, profileId: string, filters: JourneyFilters) {
  return useInfiniteQuery({
    queryKey: ["workspace", slug, "people", profileId, "journey", filters.source, filters.channel],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ limit: "200" });
      if (pageParam) q.set("cursor", pageParam);
      if (filters.source) q.set("source", filters.source);
      if (filters.channel) q.set("channel", filters.channel);
      return fetchJson<{ events: JourneyEvent[]; nextCursor: string | null }>(`${base(slug, profileId)}/timeline?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The replay's frames, fetched when the player opens. */
export function useReplay(slug: string, profileId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["workspace", slug, "people", profileId, "replay"],
    queryFn: () => fetchJson<Replay>(`${base(slug, profileId)}/replay`),
    enabled,
  });
}

export interface MergeCandidate {
  id: string;
  name: string | null;
  rung: number;
  customerNumber: number | null;
  email: string | null;
  phone: string | null;
  lastSeenAt: string;
  eventCount: number;
}

export function useMergeCandidates(slug: string, profileId: string, q: string) {
  return useQuery({
    queryKey: ["workspace", slug, "people", profileId, "merge-candidates", q],
    queryFn: () =>
      fetchJson<{ people: MergeCandidate[] }>(`${base(slug, profileId)}/merge?${new URLSearchParams({ q })}`),
    enabled: q.trim().length > 0,
  });
}

/** Export, Erase, Split, Merge and the opt-out switches of the person page. */
export function usePersonActions(slug: string, profileId: string) {
  const url = base(slug, profileId);
  return {
    erase: useMutation({
      mutationFn: (confirm: string) =>
        fetchJson<{ erased: true; erasedAt: string | null }>(`${url}/erase`, { method: "POST", body: { confirm } }),
    }),
    split: useMutation({
      mutationFn: (identifierIds: string[]) =>
        fetchJson<{ profileId: string; from: string }>(`${url}/split`, { method: "POST", body: { identifierIds } }),
    }),
    merge: useMutation({
      mutationFn: (otherProfileId: string) =>
        fetchJson<{ profileId: string; merged: string[] }>(`${url}/merge`, {
          method: "POST",
          body: { otherProfileId },
        }),
    }),
    optOuts: useMutation({
      mutationFn: (body: { optOut: string[]; optIn: string[] }) =>
        fetchJson<{ optedOut: string[] }>(`${url}/opt-outs`, { method: "POST", body }),
    }),
    exportFile: useMutation({
      mutationFn: async (format: "json" | "csv") => {
        const res = await fetch(`${url}/export?format=${format}`);
        if (!res.ok) throw new Error(`The export failed (${res.status}).`);
        const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `person.${format}`;
        return { blob: await res.blob(), name };
      },
    }),
  };
}
