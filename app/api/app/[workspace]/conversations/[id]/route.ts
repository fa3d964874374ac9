import { getConversation } from "@/lib/conversations/get-conversation.ts";
import { threadQuery } from "@/lib/conversations/get-thread.ts";
import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";

/** One person's conversation across channels (a merged-away id answers its survivor), a page at a time. */
export const GET = withWorkspace({ query: threadQuery }, async ({ query, params, workspace, db }) => {
  const id = await liveProfileIdOr404(db, workspace.id, params.id);
  const conversation = await getConversation(db, workspace.id, id, query);
  if (!conversation) throw notFound("No such profile in this workspace.");
  return Response.json(conversation);
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
