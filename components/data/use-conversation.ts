"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { Conversation } from "@/lib/conversations/get-conversation.ts";
import { fetchJson } from "./fetch-json.ts";
import type { Wire } from "./wire.ts";

export type ConversationData = Wire<Conversation>;

/**
 * One person's conversation: the newest page first (given by the server for the first paint), earlier pages
 * on demand; refreshed when the window regains focus so new messages appear.
 */
export function useConversation(slug: string, id: string, initial: ConversationData) {
  return useInfiniteQuery({
    queryKey: ["workspace", slug, "conversations", id],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      fetchJson<ConversationData>(
        `/api/app/${slug}/conversations/${id}?limit=100${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`,
      ),
    getNextPageParam: (last) => last.nextCursor,
    initialData: { pages: [initial], pageParams: [null] },
    refetchOnWindowFocus: true,
  });
}
