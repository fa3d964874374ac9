import type { Sql } from "../db/raw-sql.ts";
import { getThread } from "./get-thread.ts";
import { conversationStates } from "./list-conversations.ts";
import { turnChannelSql, turnSql } from "./turns.ts";

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
  const [states, thread, channels] = await Promise.all([
    conversationStates(db, workspaceId, [profileId]),
    getThread(db, workspaceId, profileId, opts),
    db.$queryRawUnsafe<{ channel: string }[]>(
      `SELECT ${turnChannelSql("e")} AS channel FROM "Event" e
       WHERE e."workspaceId" = $1::uuid AND e."profileId" = $2::uuid AND ${turnSql("e")}
       GROUP BY 1 HAVING ${turnChannelSql("e")} IS NOT NULL ORDER BY max(e."occurredAt") DESC`,
      workspaceId,
      profileId,
    ),
  ]);
  const state = states.get(profileId);
  /** Every channel of the thread, the most recently used first ("whatsapp", "email", "voice"). */
  return state ? { ...state, channels: channels.map((c) => c.channel), ...thread } : null;
}

export type Conversation = NonNullable<Awaited<ReturnType<typeof getConversation>>>;
