import type { Sql } from "../db/raw-sql.ts";
import { getThread } from "./get-thread.ts";
import { conversationStates } from "./list-conversations.ts";

/**
 * A person's conversation for its page and JSON: who they are, whether they wait for an answer, and a page of
 * the thread (the newest first; `cursor` for earlier ones). Null when the profile is not in this workspace.
 */
export async function getConversation(
  db: Sql,
  workspaceId: string,
  profileId: string,
  opts: { limit: number; cursor?: string },
) {
  const [states, thread] = await Promise.all([
    conversationStates(db, workspaceId, [profileId]),
    getThread(db, workspaceId, profileId, opts),
  ]);
  const state = states.get(profileId);
  return state ? { ...state, ...thread } : null;
}

export type Conversation = NonNullable<Awaited<ReturnType<typeof getConversation>>>;
