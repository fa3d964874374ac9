import { conversationsQuery, countConversations, listConversations } from "@/lib/conversations/list-conversations.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";

/** The conversations list for the logged-in member: one per person, newest first, unanswered flagged. */
export const GET = withWorkspace({ query: conversationsQuery }, async ({ query, workspace, db }) => {
  const [page, counts] = await Promise.all([
    listConversations(db, workspace.id, query),
    countConversations(db, workspace.id),
  ]);
  return Response.json({ ...page, counts });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
