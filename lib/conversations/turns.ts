/**
 * What counts as a conversation (docs/decisions/012). A person's thread is made of their **turns** — what they
 * said or were told on a channel: channel messages and calls either way, emails sent to them and their
 * replies, and what an agent did inside a channel ("Booking agent offers 3 slots inside the WhatsApp
 * thread") — plus **statuses** that describe a turn (delivered, opened, a tracked link tapped in an SMS).
 * Turns of every channel of one person are one thread; the newest turn orders the list, and a thread whose
 * newest turn came from the person and wants an answer is unanswered.
 *
 * `turnSql` is the predicate of the partial index "Event_conversation_turns_idx" (prisma/schema.prisma): the
 * planner uses that index only for a query whose condition is this very predicate, so both say it in the
 * same words (tests/integration/conversations.test.ts compares them).
 */
export function turnSql(e: string) {
  return `(${e}."profileId" IS NOT NULL AND ((${e}.source = 'channel' AND ${e}.type <> 'message_status') OR (${e}.source = 'email' AND ${e}.type IN ('email_sent', 'email_replied', 'email_received')) OR (${e}.source = 'agent' AND ${e}.channel IS NOT NULL AND ${e}.channel <> 'web')))`;
}

/** The index predicate as written in the schema (turnSql without a table alias). */
export const TURN_INDEX_PREDICATE = `"profileId" IS NOT NULL AND ((source = 'channel' AND type <> 'message_status') OR (source = 'email' AND type IN ('email_sent', 'email_replied', 'email_received')) OR (source = 'agent' AND channel IS NOT NULL AND channel <> 'web'))`;

/** Statuses shown in a thread (folded onto the turn they describe where it is known). */
export const EMAIL_STATUS_TYPES = [
  "email_delivered",
  "email_opened",
  "email_clicked",
  "email_bounced",
  "email_complained",
] as const;

export function statusSql(e: string) {
  return `(${e}.source = 'email' AND ${e}.type IN (${EMAIL_STATUS_TYPES.map((t) => `'${t}'`).join(", ")})) OR (${e}.source = 'channel' AND ${e}.type = 'message_status') OR (${e}.source = 'pixel' AND ${e}.channel IS NOT NULL AND ${e}.channel <> 'web')`;
}

/** Inbound turns that want an answer: a message or an email reply, a missed call, a voicemail (not an answered call). */
const AWAITING_TYPES = ["message_in", "call_missed", "voicemail", "email_replied", "email_received"];

export function awaitingSql(e: string) {
  return `(${e}.type IN (${AWAITING_TYPES.map((t) => `'${t}'`).join(", ")}) OR (${e}.source = 'channel' AND ${e}.direction = 'in' AND ${e}.type <> 'call_in'))`;
}

export function isAwaiting(t: { source: string; type: string; direction: string | null }) {
  return AWAITING_TYPES.includes(t.type) || (t.source === "channel" && t.direction === "in" && t.type !== "call_in");
}

export const CHANNEL_LABELS: Record<string, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  email: "email",
  voice: "phone",
  telegram: "Telegram",
  webchat: "web chat",
};

/** "WhatsApp", "SMS", "email", "phone" — as in "via WhatsApp". */
export function channelLabel(channel: string | null | undefined) {
  if (!channel) return null;
  return CHANNEL_LABELS[channel] ?? channel.replace(/_/g, " ");
}

const CALL_TYPES = new Set(["call_in", "call_out", "call_missed", "voicemail"]);

/** The channel of a turn: its own, else email for email events and the phone for calls. */
export function turnChannel(e: { source: string; type: string; channel: string | null }) {
  return e.channel ?? (e.source === "email" ? "email" : CALL_TYPES.has(e.type) ? "voice" : null);
}

/** The same in SQL, for grouping a person's turns by channel. */
export function turnChannelSql(e: string) {
  return `COALESCE(${e}.channel, CASE WHEN ${e}.source = 'email' THEN 'email' WHEN ${e}.type IN ('call_in', 'call_out', 'call_missed', 'voicemail') THEN 'voice' END)`;
}
