import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ConversationView } from "@/components/conversations/conversation-view.tsx";
import { toWire } from "@/components/data/wire.ts";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getConversation } from "@/lib/conversations/get-conversation.ts";
import { getDb } from "@/lib/db/client.ts";
import { resolveProfileId } from "@/lib/identity/resolve-profile-id.ts";
import { formatPhone } from "@/lib/people/format-phone.ts";

export const metadata: Metadata = { title: "Conversation" };

/** One person's conversation; a merged-away person's address leads to the survivor's (R6). */
export default async function ConversationPage({ params }: { params: Promise<{ workspace: string; id: string }> }) {
  const { workspace: slug, id } = await params;
  const { workspace } = await requireMember(slug);
  const db = getDb();
  const live = await resolveProfileId(db, workspace.id, id);
  if (!live) notFound();
  if (live !== id) redirect(`/app/${slug}/conversations/${live}`);
  const conversation = await getConversation(db, workspace.id, live, { limit: 100 });
  if (!conversation) notFound();
  const phone = formatPhone(conversation.person.phone);
  return <ConversationView slug={slug} timeZone={workspace.timezone} initial={toWire(conversation)} phone={phone} />;
}
