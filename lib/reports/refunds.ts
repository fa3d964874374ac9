import { channelLabel, turnSql } from "../conversations/turns.ts";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import { textOfSource } from "../topics/topic-sources.ts";
import { personLabels } from "./person-labels.ts";
import { sentimentOf } from "./sentiment.ts";

/** The thread around a refund or cancellation: the person's turns from 14 days before it to 3 days after. */
export const THREAD_BEFORE_MS = 14 * 86_400_000;
export const THREAD_AFTER_MS = 3 * 86_400_000;
const THREAD_LIMIT = 60;

export interface ThreadMessage {
  id: string;
  occurredAt: Date;
  direction: "in" | "out";
  via: string | null;
  text: string;
  /** The message's own sentiment (−1…1), for the customer's messages. */
  sentiment: number | null;
}

export interface Refund {
  /** The refund's or cancellation's event id. */
  id: string;
  kind: "refund" | "cancellation";
  profileId: string | null;
  person: string | null;
  refundedAt: Date;
  /** Minor units (cents); null for a cancelled booking with no money attached. */
  amount: number | null;
  currency: string | null;
  /** −1…1 over the customer's messages in the thread (lib/reports/sentiment.ts); 0 when they wrote nothing scored. */
  sentiment: number;
  /** The customer's sentence with the largest absolute score, else their message nearest the refund. */
  quote: string | null;
  /** A cancellation's reason as the booking tool gave it. */
  reason: string | null;
  thread: ThreadMessage[];
}

export interface RefundsReport {
  from: Date;
  to: Date;
  refunds: Refund[];
  /** Refunded money per currency in the range (cancellations without money are not in it). */
  totals: { currency: string; amount: number; refunds: number }[];
  cancellations: number;
}

interface MoneyRow {
  id: string;
  type: string;
  profileId: string | null;
  occurredAt: Date;
  properties: Record<string, unknown>;
}

interface TurnRow {
  id: string;
  source: string;
  type: string;
  occurredAt: Date;
  channel: string | null;
  direction: string | null;
  messageDirection: string | null;
  bodyEnc: string | null;
  properties: unknown;
}

const INBOUND = new Set(["message_in", "email_replied", "email_received", "form_submit", "voicemail"]);

function readText(r: TurnRow): string | null {
  try {
    if (r.source === "web") return textOfSource(r);
    const body = decryptOrNull(r.bodyEnc);
    return body ? (r.source === "email" ? textOfSource(r) : body) : null;
  } catch {
    return null; // sealed under a retired key
  }
}

/** One person's turns (and form messages) in a window, oldest first, with their text. */
async function threadOf(db: Sql, workspaceId: string, profileId: string, at: Date): Promise<ThreadMessage[]> {
  const rows = await db.$queryRawUnsafe<TurnRow[]>(
    `SELECT e.id::text, e.source::text AS source, e.type, e."occurredAt", e.channel, e.direction,
       m.direction AS "messageDirection", m."bodyEnc", CASE WHEN e.source = 'web' THEN e.properties END AS properties
     FROM "Event" e
     LEFT JOIN "Message" m ON m."profileId" = e."profileId" AND m."occurredAt" = e."occurredAt" AND m."eventId" = e.id
     WHERE e."workspaceId" = $1::uuid AND e."profileId" = $2::uuid
       AND e."occurredAt" >= $3::timestamptz AND e."occurredAt" < $4::timestamptz
       AND (${turnSql("e")} OR (e.source = 'web' AND e.type = 'form_submit'))
     ORDER BY e."occurredAt", e.id LIMIT ${THREAD_LIMIT}`,
    workspaceId,
    profileId,
    new Date(at.getTime() - THREAD_BEFORE_MS),
    new Date(at.getTime() + THREAD_AFTER_MS),
  );
  return rows.flatMap((r) => {
    const text = readText(r);
    if (!text) return [];
    const inbound = (r.messageDirection ?? r.direction) === "in" || INBOUND.has(r.type);
    return [
      {
        id: r.id,
        occurredAt: r.occurredAt,
        direction: inbound ? "in" : "out",
        via: r.source === "web" ? "a form" : channelLabel(r.channel ?? (r.source === "email" ? "email" : null)),
        text,
        sentiment: inbound ? sentimentOf([text]).sentiment : null,
      } satisfies ThreadMessage,
    ];
  });
}

const num = (v: unknown) =>
  typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : null;
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

/**
 * Refunds (Stripe's `payment_refunded`) and cancelled bookings in `[from, to)`, newest first, at most `limit`:
 * each with the person's thread around it, its sentiment and most telling quote, and the money refunded per
 * currency. Read through the partial money index (decision 011) and one index range of the person's events
 * per refund. The Friday summary calls it with a week.
 */
export async function listRefunds(
  db: Sql,
  workspaceId: string,
  range: { from: Date; to: Date },
  opts: { limit?: number } = {},
): Promise<RefundsReport> {
  const limit = opts.limit ?? 200;
  const [rows, sums] = await Promise.all([
    db.$queryRawUnsafe<MoneyRow[]>(
      `SELECT id::text, type, "profileId"::text AS "profileId", "occurredAt", properties FROM "Event"
       WHERE "workspaceId" = $1::uuid AND type IN ('payment_refunded', 'booking_cancelled')
         AND "occurredAt" >= $2::timestamptz AND "occurredAt" < $3::timestamptz
       ORDER BY "occurredAt" DESC, id DESC LIMIT $4`,
      workspaceId,
      range.from,
      range.to,
      limit,
    ),
    db.$queryRawUnsafe<{ type: string; currency: string | null; amount: string | null; n: number }[]>(
      `SELECT type, upper(properties->>'currency') AS currency,
         sum(CASE WHEN properties->>'amount' ~ '^[0-9]{1,15}$' THEN (properties->>'amount')::bigint ELSE 0 END)::text AS amount,
         count(*)::int AS n
       FROM "Event" WHERE "workspaceId" = $1::uuid AND type IN ('payment_refunded', 'booking_cancelled')
         AND "occurredAt" >= $2::timestamptz AND "occurredAt" < $3::timestamptz
       GROUP BY 1, 2 ORDER BY 1, 2`,
      workspaceId,
      range.from,
      range.to,
    ),
  ]);
  const people = await personLabels(
    db,
    workspaceId,
    rows.flatMap((r) => (r.profileId ? [r.profileId] : [])),
  );
  const refunds = await Promise.all(
    rows.map(async (r): Promise<Refund> => {
      const thread = r.profileId ? await threadOf(db, workspaceId, r.profileId, r.occurredAt) : [];
      const theirs = thread.filter((m) => m.direction === "in");
      const reason = str(r.properties.reason);
      const mood = sentimentOf([...theirs.map((m) => m.text), ...(reason ? [reason] : [])]);
      const nearest = [...theirs].sort(
        (a, b) =>
          Math.abs(a.occurredAt.getTime() - r.occurredAt.getTime()) -
          Math.abs(b.occurredAt.getTime() - r.occurredAt.getTime()),
      )[0];
      return {
        id: r.id,
        kind: r.type === "payment_refunded" ? "refund" : "cancellation",
        profileId: r.profileId,
        person: r.profileId ? (people.get(r.profileId)?.name ?? null) : null,
        refundedAt: r.occurredAt,
        amount: num(r.properties.amount),
        currency: str(r.properties.currency)?.toUpperCase() ?? null,
        sentiment: mood.sentiment,
        quote: mood.quote ?? (nearest ? nearest.text.slice(0, 280) : reason),
        reason,
        thread,
      };
    }),
  );
  return {
    from: range.from,
    to: range.to,
    refunds,
    totals: sums
      .filter((s) => s.type === "payment_refunded")
      .map((s) => ({ currency: s.currency ?? "", amount: Number(s.amount ?? 0), refunds: s.n })),
    cancellations: sums.filter((s) => s.type === "booking_cancelled").reduce((n, s) => n + s.n, 0),
  };
}
