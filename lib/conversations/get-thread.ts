import { z } from "zod";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import { readableProperties } from "../timeline/event-content.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { describeTurn, durationOf } from "./describe-turn.ts";
import { channelLabel, isAwaiting, statusSql, turnChannel, turnSql } from "./turns.ts";

export const threadQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** `nextCursor` of the page shown: the messages before it. */
  cursor: z.string().max(200).optional(),
});

export type ItemKind = "message" | "email" | "call" | "agent" | "status";

export interface ThreadItem {
  /** The event's id. */
  id: string;
  kind: ItemKind;
  type: string;
  channel: string | null;
  /** "WhatsApp", "SMS", "email", "phone": the "via …" of the item. */
  via: string | null;
  direction: "in" | "out" | null;
  occurredAt: Date;
  /** The full text of a message or an email (sealed at rest, opened for the workspace's members). */
  text: string | null;
  /** Words for what has no text of its own ("Missed call (no answer)"), an email's subject. */
  title: string | null;
  /** Delivery state: a message's Twilio status, an email's furthest step (sent → delivered → opened → clicked). */
  status: string | null;
  agent: string | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
  media: string[];
}

/** A thread row as read from "Event" joined to its Message and Conversation (also the workspace export's). */
export type ThreadRow = {
  id: string;
  source: string;
  type: string;
  occurredAt: Date;
  channel: string | null;
  direction: string | null;
  properties: Record<string, unknown>;
  bodyEnc: string | null;
  messageDirection: string | null;
  messageStatus: string | null;
  externalId: string | null;
  agent: string | null;
  messageChannel: string | null;
  turn: boolean;
};

const CALLS = new Set(["call_in", "call_out", "call_missed", "voicemail"]);
const OUT_TYPES = new Set(["message_out", "call_out", "email_sent", "agent_action"]);
const EMAIL_RANK: Record<string, number> = {
  sent: 0,
  email_sent: 0,
  delivered: 1,
  email_delivered: 1,
  opened: 2,
  email_opened: 2,
  clicked: 3,
  email_clicked: 3,
  bounced: 9,
  email_bounced: 9,
  complained: 9,
  email_complained: 9,
};
const EMAIL_WORD: Record<string, string> = {
  email_delivered: "delivered",
  email_opened: "opened",
  email_clicked: "clicked",
  email_bounced: "bounced",
  email_complained: "marked as spam",
};
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

/**
 * One person's conversation across every channel (docs/decisions/012): their turns and the statuses around
 * them, newest page first, each page oldest first (as a chat reads), with the full text of messages and
 * emails opened from their sealed Message and content. Email statuses fold onto the email they describe
 * (the same message id, else the latest earlier email of the same kind or subject) as its status. One range
 * scan of the person's events (workspace, profile, occurredAt, id) joined to their messages.
 */
export async function getThread(
  db: Sql,
  workspaceId: string,
  profileId: string,
  opts: { limit: number; cursor?: string },
) {
  const before = opts.cursor ? decodeCursor(opts.cursor) : null;
  const rows = await db.$queryRawUnsafe<ThreadRow[]>(
    `SELECT e.id::text, e.source::text AS source, e.type, e."occurredAt", e.channel, e.direction, e.properties,
       m."bodyEnc", m.direction AS "messageDirection", m.status AS "messageStatus", m."externalId", m.agent,
       c.channel AS "messageChannel", ${turnSql("e")} AS turn
     FROM "Event" e
     LEFT JOIN "Message" m ON m."profileId" = e."profileId" AND m."occurredAt" = e."occurredAt" AND m."eventId" = e.id
     LEFT JOIN "Conversation" c ON c.id = m."conversationId"
     WHERE e."workspaceId" = $1::uuid AND e."profileId" = $2::uuid AND (${turnSql("e")} OR ${statusSql("e")})
       AND ($3::timestamptz IS NULL OR (e."occurredAt", e.id) < ($3::timestamptz, $4::uuid))
     ORDER BY e."occurredAt" DESC, e.id DESC LIMIT $5`,
    workspaceId,
    profileId,
    before ? new Date(before.at) : null,
    before?.id ?? null,
    opts.limit + 1,
  );
  const more = rows.length > opts.limit;
  const page = rows.slice(0, opts.limit).reverse();
  const oldest = page[0];
  return {
    items: foldStatuses(page.map(toItem)),
    /** The page of earlier items (null when this page reaches the start of the thread). */
    nextCursor: more && oldest ? encodeCursor({ at: oldest.occurredAt.getTime(), id: oldest.id }) : null,
  };
}

type Loaded = ThreadItem & { messageId: string | null; subject: string | null; emailKind: string | null };

export function toItem(r: ThreadRow): Loaded {
  const { properties: p } = readableProperties(r.source, r.properties ?? {}, decryptOrNull(r.bodyEnc));
  const isEmail = r.source === "email";
  const channel = r.messageChannel ?? turnChannel(r);
  const kind: ItemKind = !r.turn
    ? "status"
    : r.type === "agent_action"
      ? "agent"
      : CALLS.has(r.type)
        ? "call"
        : isEmail
          ? "email"
          : "message";
  const dir = r.messageDirection ?? r.direction;
  const direction =
    kind === "status"
      ? null
      : dir === "in" || dir === "out"
        ? dir
        : OUT_TYPES.has(r.type)
          ? "out"
          : isAwaiting({ source: r.source, type: r.type, direction: dir }) || r.type === "call_in"
            ? "in"
            : null;
  const text = isEmail ? (str(p.text) ?? str(p.body)) : kind === "message" ? str(p.body) : null;
  const title =
    kind === "message" && text ? null : describeTurn({ source: r.source, type: r.type, channel, properties: p });
  const status = r.messageStatus ?? (r.type === "email_sent" ? "sent" : null);
  const media = Array.isArray(p.media) ? p.media.filter((m): m is string => typeof m === "string") : [];
  return {
    id: r.id,
    kind,
    type: r.type,
    channel,
    via: channelLabel(channel),
    direction,
    occurredAt: r.occurredAt,
    text,
    title,
    status,
    agent: r.agent ?? str(p.agent),
    durationSeconds: kind === "call" ? durationOf(p) : null,
    recordingUrl: r.type === "voicemail" ? str(p.recordingUrl) : null,
    media,
    messageId: r.externalId ?? str(p.messageId) ?? str(p.emailId) ?? str(p.externalId),
    subject: str(p.subject),
    emailKind: str(p.kind),
  };
}

/** Email statuses and message statuses onto the turn they describe; what describes nothing shown stays a line. */
function foldStatuses(items: Loaded[]): ThreadItem[] {
  const out: Loaded[] = [];
  for (const item of items) {
    const target = item.kind === "status" ? findTarget(out, item) : null;
    if (!target) {
      out.push(item);
      continue;
    }
    const next = item.type === "message_status" ? item.title?.replace(/^Message /, "") : EMAIL_WORD[item.type];
    if (!next) continue;
    if (target.kind === "email") {
      if ((EMAIL_RANK[item.type] ?? 0) >= (EMAIL_RANK[target.status ?? "sent"] ?? 0)) target.status = next;
    } else target.status = next;
  }
  return out.map(({ messageId: _, subject: __, emailKind: ___, ...item }) => item);
}

/** The turn a status describes: the same message id, else (emails) the latest earlier one of that subject or kind. */
function findTarget(before: Loaded[], status: Loaded) {
  const isEmail = status.type.startsWith("email_");
  if (!isEmail && status.type !== "message_status") return null;
  for (let i = before.length - 1; i >= 0; i--) {
    const t = before[i]!;
    if (isEmail ? t.type !== "email_sent" : t.kind !== "message" || t.direction !== "out") continue;
    if (status.messageId && t.messageId) {
      if (status.messageId === t.messageId) return t;
      continue;
    }
    if (!isEmail) return null;
    const sameSubject = status.subject && t.subject ? status.subject === t.subject : null;
    const sameKind = status.emailKind && t.emailKind ? status.emailKind === t.emailKind : null;
    if (sameSubject ?? sameKind ?? true) return t;
  }
  return null;
}
