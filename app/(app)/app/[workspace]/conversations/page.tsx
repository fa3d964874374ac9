import type { Metadata } from "next";
import { ConversationList } from "@/components/conversations/conversation-list.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import {
  conversationsQueryFromSearch,
  countConversations,
  listConversations,
} from "@/lib/conversations/list-conversations.ts";
import { getDb } from "@/lib/db/client.ts";

export const metadata: Metadata = { title: "Conversations" };

export default async function ConversationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const query = conversationsQueryFromSearch(await searchParams);
  const db = getDb();
  const [page, counts] = await Promise.all([
    listConversations(db, workspace.id, query),
    countConversations(db, workspace.id),
  ]);
  const props = { slug: workspace.slug, timeZone: workspace.timezone, filter: query.filter, counts };
  return <ConversationList {...props} {...page} now={new Date()} paged={!!query.cursor} />;
}
