import type { Sql } from "../db/raw-sql.ts";
import type { ReportRange } from "./report-range.ts";

/** How many of the latest people who stopped are read for "most after …" (their last signal each). */
export const STALLED_SAMPLE = 500;

export interface LastSignal {
  type: string;
  source: string;
  channel: string;
  detail: string;
  n: number;
}

export interface Stalled {
  /** How many of them (the latest) were read for their last signal. */
  sampled: number;
  /** Their most common last signal before the range's end. */
  top: LastSignal | null;
  /** The latest of them whose last signal was that one: the journey to replay. */
  example: string | null;
}

/**
 * After what people stopped at a rung (reached it in the range, not the next rung before its end; how many
 * did is the ladder's step): the last signal of each of the latest STALLED_SAMPLE of them, one backward
 * probe of the person's timeline index each, and the most common one.
 */
export async function stalledAt(db: Sql, workspaceId: string, range: ReportRange, rung: number): Promise<Stalled> {
  const r = Math.min(3, Math.max(0, Math.trunc(rung)));
  const signals = await db.$queryRawUnsafe<(LastSignal & { example: string; sampled: number })[]>(
    `SELECT k.type, k.source, k.channel, k.detail, count(*)::int AS n,
       (array_agg(s."profileId" ORDER BY s.at DESC))[1]::text AS example, sum(count(*)) OVER ()::int AS sampled
     FROM (
       SELECT "profileId", reached${r} AS at FROM "PersonRollup"
       WHERE "workspaceId" = $1::uuid AND reached${r} >= $2 AND reached${r} < $3
         AND (reached${r + 1} IS NULL OR reached${r + 1} >= $3)
       ORDER BY reached${r} DESC LIMIT ${STALLED_SAMPLE}
     ) AS s
     CROSS JOIN LATERAL (
       SELECT e.type, e.source::text AS source, coalesce(e.channel, '') AS channel,
         CASE e.source WHEN 'agent' THEN coalesce(e.properties ->> 'action', '')
           WHEN 'email' THEN coalesce(e.properties ->> 'kind', '') ELSE '' END AS detail
       FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = s."profileId" AND e."occurredAt" < $3
       ORDER BY e."occurredAt" DESC, e.id DESC LIMIT 1
     ) AS k
     GROUP BY 1, 2, 3, 4
     ORDER BY n DESC, max(s.at) DESC
     LIMIT 1`,
    workspaceId,
    range.from,
    range.to,
  );
  const top = signals[0];
  return {
    sampled: top?.sampled ?? 0,
    top: top ? { type: top.type, source: top.source, channel: top.channel, detail: top.detail, n: top.n } : null,
    example: top?.example ?? null,
  };
}

const CHANNELS: Record<string, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  telegram: "Telegram",
  webchat: "web chat",
};
const words = (s: string) => s.replace(/[_-]+/g, " ").trim();

/** "the quote email", "our WhatsApp reply": what a person's last signal was, to finish "most after …". */
export function lastSignalPhrase(s: Pick<LastSignal, "type" | "channel" | "detail">): string {
  const kind = s.detail ? `the ${words(s.detail)} email` : "an email";
  const channel = CHANNELS[s.channel] ?? (s.channel ? words(s.channel) : "");
  switch (s.type) {
    case "email_sent":
    case "email_delivered":
      return kind;
    case "email_opened":
      return `opening ${kind}`;
    case "email_clicked":
      return `clicking through ${kind}`;
    case "email_bounced":
      return `${kind} bounced`;
    case "unsubscribed":
      return "unsubscribing";
    case "message_out":
      return `our ${channel ? `${channel} ` : ""}reply`.replace("  ", " ");
    case "message_in":
      return `their own ${channel ? `${channel} ` : ""}message, unanswered`.replace("  ", " ");
    case "page_view":
      return "a visit to the site";
    case "form_submit":
    case "form_submitted":
      return "the form";
    case "agent_action":
      return s.detail ? `the agent's “${words(s.detail)}”` : "an agent's step";
    case "link_clicked":
      return "tapping a tracked link";
    case "call_missed":
      return "a missed call";
    default:
      return `“${words(s.type)}”`;
  }
}
