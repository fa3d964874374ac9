/** What every SMS/WhatsApp marketing message ends with (P8, API.md "messages"). */
export const STOP_LINE = "Reply STOP to opt out";

/** A body that already tells how to stop: "Reply STOP to unsubscribe", "text END to 12345", "reply with QUIT". */
const SAYS_HOW_TO_STOP =
  /\b(reply|text|txt|send|respond)\b[^.!?\n]{0,20}\b(stop|stopall|unsubscribe|cancel|end|quit)\b/i;

/**
 * The text Twilio is given: a marketing message ends with how to stop unless it already says so in its own
 * words; a transactional message (a booking confirmation, a reminder asked for) is sent as written.
 */
export function withStopLine(body: string, purpose: "transactional" | "marketing"): string {
  if (purpose !== "marketing" || SAYS_HOW_TO_STOP.test(body)) return body;
  return `${body.trimEnd()}\n\n${STOP_LINE}`;
}
