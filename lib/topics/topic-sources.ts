import { decryptOrNull } from "../crypto/keys.ts";
import { ownWords } from "./analyze-text.ts";

/**
 * What customers write to the business, as the topic counter reads it (decision 019): inbound channel messages
 * (SMS, WhatsApp, web chat…), email replies and received emails, and web form submissions. The predicate of the
 * partial index "Event_topic_source_idx" (prisma/schema.prisma), in the same words so the planner uses it.
 */
export const TOPIC_SOURCE_PREDICATE = `(source = 'channel' AND type = 'message_in') OR (source = 'email' AND type IN ('email_replied', 'email_received')) OR (source = 'web' AND type = 'form_submit')`;

export function topicSourceSql(e: string) {
  return `((${e}.source = 'channel' AND ${e}.type = 'message_in') OR (${e}.source = 'email' AND ${e}.type IN ('email_replied', 'email_received')) OR (${e}.source = 'web' AND ${e}.type = 'form_submit'))`;
}

/** Form fields that hold what the person wrote in their own words (not the form's name, its page, an email). */
const FREE_TEXT_FIELD =
  /message|question|comment|note|detail|description|enquiry|inquiry|request|body|text|about|help/i;

/** The customer's own words of a source event: the opened Message text, or a form's free-text fields. */
export function textOfSource(row: { source: string; properties: unknown; bodyEnc: string | null }): string | null {
  if (row.source === "web") {
    const props = (row.properties ?? {}) as Record<string, unknown>;
    const parts = Object.entries(props)
      .filter(([k, v]) => typeof v === "string" && FREE_TEXT_FIELD.test(k) && !/url|page|referrer|email|phone/i.test(k))
      .map(([, v]) => (v as string).trim())
      .filter(Boolean);
    return parts.length ? parts.join("\n").slice(0, 4000) : null;
  }
  const body = decryptOrNull(row.bodyEnc);
  if (!body) return null;
  return row.source === "email" ? ownWords(body) : body.slice(0, 4000);
}
