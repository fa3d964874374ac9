import { z } from "zod";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import { readableProperties } from "../timeline/event-content.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { describeTurn } from "./describe-turn.ts";
import { awaitingSql, channelLabel, turnChannel, turnSql } from "./turns.ts";

export const CONVERSATION_FILTERS = ["all", "unanswered"] as const;
export type ConversationFilter = (typeof CONVERSATION_FILTERS)[number];

export const conversationsQuery = z.object({
  filter: z.enum(CONVERSATION_FILTERS).default("all"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export interface ConversationSummary {
  /** The person's profile id: one conversation per person, whatever the channels. */
  id: string;
  person: {
    name: string | null;
    email: string | null;
    phone: string | null;
    rung: number;
    customerNumber: number | null;
  };
  last: {
    type: string;
    channel: string | null;
    via: string | null;
    direction: "in" | "out" | null;
    occurredAt: Date;
    /** The newest turn's text (full; the page clips it), or its words when it has none ("Missed call"). */
    preview: string;
    agent: string | null;
  } | null;
  /** The newest turn came from the person and wants an answer (a message, a missed call, a voicemail). */
  unanswered: boolean;
  /** When the unanswered turns began: the first of them after the last answer. */
  waitingSince: Date | null;
}

type StateRow = {
  profileId: string;
  rung: number;
  customerNumber: number | null;
  nameEnc: string | null;
  emailEnc: string | null;
  phoneEnc: string | null;
  id: string | null;
  source: string | null;
  type: string | null;
  occurredAt: Date | null;
  channel: string | null;
  direction: string | null;
  properties: Record<string, unknown> | null;
  bodyEnc: string | null;
  agent: string | null;
  awaiting: boolean | null;
  waitingSince: Date | null;
};

/**
 * The conversations list (docs/decisions/012, 017): one row per person, newest turn first, across all their
 * channels. PersonThread (kept by database triggers on Event) holds each person's newest turn and whether it
 * wants an answer, so a page is one range of its index — `unanswered` the partial one — keyset on the turn's
 * (occurredAt, id). The page's people are then read in one query.
 */
export async function listConversations(
  db: Sql,
  workspaceId: string,
  opts: { filter: ConversationFilter; limit: number; cursor?: string },
) {
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const page = await db.$queryRawUnsafe<{ profileId: string; occurredAt: Date; id: string }[]>(
    `SELECT t."profileId", t."lastTurnAt" AS "occurredAt", t."lastTurnId" AS id FROM "PersonThread" t
     WHERE t."workspaceId" = $1::uuid ${opts.filter === "unanswered" ? "AND t.awaiting" : ""}
       AND ($2::timestamptz IS NULL OR (t."lastTurnAt", t."lastTurnId") < ($2::timestamptz, $3::uuid))
     ORDER BY t."lastTurnAt" DESC, t."lastTurnId" DESC LIMIT $4`,
    workspaceId,
    after ? new Date(after.at) : null,
    after?.id ?? null,
    opts.limit + 1,
  );
  const shown = page.slice(0, opts.limit);
  const states = await conversationStates(
    db,
    workspaceId,
    shown.map((r) => r.profileId),
  );
  const last = shown.at(-1);
  return {
    conversations: shown.flatMap((r) => states.get(r.profileId) ?? []),
    nextCursor: page.length > opts.limit && last ? encodeCursor({ at: last.occurredAt.getTime(), id: last.id }) : null,
  };
}

/**
 * The state of these people's conversations, one query: who they are (name and contacts opened), their
 * newest turn with its text, and whether it wants an answer and since when (`last` null for a person
 * without any turn). Ids of other workspaces are left out.
 */
export async function conversationStates(
  db: Sql,
  workspaceId: string,
  profileIds: string[],
): Promise<Map<string, ConversationSummary>> {
  if (!profileIds.length) return new Map();
  const rows = await db.$queryRawUnsafe<StateRow[]>(
    `SELECT p.id AS "profileId", p.rung, p."customerNumber", p."nameEnc", p."emailEnc", p."phoneEnc",
       t.id::text, t.source::text AS source, t.type, t."occurredAt", t.channel, t.direction, t.properties,
       m."bodyEnc", m.agent, ${awaitingSql("t")} AS awaiting,
       CASE WHEN ${awaitingSql("t")} THEN (
         SELECT min(w."occurredAt") FROM "Event" w
         WHERE w."workspaceId" = $1::uuid AND w."profileId" = p.id AND ${turnSql("w")}
           AND w."occurredAt" > COALESCE((
             SELECT o."occurredAt" FROM "Event" o
             WHERE o."workspaceId" = $1::uuid AND o."profileId" = p.id AND ${turnSql("o")} AND NOT ${awaitingSql("o")}
             ORDER BY o."occurredAt" DESC, o.id DESC LIMIT 1), '-infinity')
       ) END AS "waitingSince"
     FROM unnest($2::uuid[]) AS x(id)
     JOIN "Profile" p ON p.id = x.id AND p."workspaceId" = $1::uuid
     LEFT JOIN LATERAL (
       SELECT e.* FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = p.id AND ${turnSql("e")}
       ORDER BY e."occurredAt" DESC, e.id DESC LIMIT 1
     ) t ON true
     LEFT JOIN "Message" m ON m."profileId" = p.id AND m."occurredAt" = t."occurredAt" AND m."eventId" = t.id`,
    workspaceId,
    profileIds,
  );
  const out = new Map<string, ConversationSummary>();
  for (const r of rows) {
    const person = {
      name: decryptOrNull(r.nameEnc),
      email: decryptOrNull(r.emailEnc),
      phone: decryptOrNull(r.phoneEnc),
      rung: r.rung,
      customerNumber: r.rung >= 4 ? r.customerNumber : null,
    };
    if (!r.id || !r.type || !r.source || !r.occurredAt) {
      out.set(r.profileId, {
        id: r.profileId,
        person,
        last: null,
        unanswered: false,
        waitingSince: null,
      });
      continue;
    }
    const { properties: p } = readableProperties(r.source, r.properties ?? {}, decryptOrNull(r.bodyEnc));
    const channel = turnChannel({ source: r.source, type: r.type, channel: r.channel });
    const text = typeof p.body === "string" ? p.body : typeof p.text === "string" ? p.text : null;
    const direction =
      r.direction === "in" || r.direction === "out"
        ? r.direction
        : r.awaiting
          ? "in"
          : r.type === "call_in"
            ? "in"
            : "out";
    out.set(r.profileId, {
      id: r.profileId,
      person,
      last: {
        type: r.type,
        channel,
        via: channelLabel(channel),
        direction,
        occurredAt: r.occurredAt,
        preview: text?.trim() || describeTurn({ source: r.source, type: r.type, channel, properties: p }),
        agent: r.agent ?? (typeof p.agent === "string" ? p.agent : null),
      },
      unanswered: !!r.awaiting,
      waitingSince: r.waitingSince,
    });
  }
  return out;
}

/** How many people have a conversation, and how many of those wait for an answer (PersonThread's indexes). */
export async function countConversations(db: Sql, workspaceId: string) {
  const [row] = await db.$queryRawUnsafe<{ all: number; unanswered: number }[]>(
    `SELECT (SELECT count(*) FROM "PersonThread" WHERE "workspaceId" = $1::uuid)::int AS all,
       (SELECT count(*) FROM "PersonThread" WHERE "workspaceId" = $1::uuid AND awaiting)::int AS unanswered`,
    workspaceId,
  );
  return { all: row?.all ?? 0, unanswered: row?.unanswered ?? 0 };
}

/** For the page: what its URL asks, a malformed part dropped (an edited URL shows the newest conversations). */
export function conversationsQueryFromSearch(sp: Record<string, string | string[] | undefined>) {
  const filter = sp.filter === "unanswered" ? ("unanswered" as const) : ("all" as const);
  let cursor = typeof sp.cursor === "string" ? sp.cursor : undefined;
  try {
    if (cursor) decodeCursor(cursor);
  } catch {
    cursor = undefined;
  }
  return { filter, cursor, limit: 50 };
}
