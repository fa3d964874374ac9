import { badRequest } from "../../errors.ts";

/**
 * A Twilio delivery's `application/x-www-form-urlencoded` body as the flat parameter object Twilio signed.
 * A repeated name keeps its last value (Twilio sends each parameter once).
 */
export function parseTwilioForm(raw: string): Record<string, string> {
  if (raw.trimStart().startsWith("{")) throw badRequest("Twilio posts form-encoded parameters, not JSON.");
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
  return params;
}

const get = (p: Record<string, string>, k: string) => (p[k] ?? "").trim();

/**
 * One id per thing Twilio tells us, so a retry is the same delivery and each change is its own:
 * an inbound message is its `MessageSid`; a status callback is the sid and the status (every change is posted
 * separately); a call is `CallSid` + `CallStatus`, its `<Dial action>` outcome and its recording their own.
 */
export function deliveryIdOf(p: Record<string, string>): string | null {
  const call = get(p, "CallSid");
  if (call) {
    if (get(p, "RecordingUrl")) return `${call}:recording:${get(p, "RecordingSid")}`;
    if (get(p, "DialCallStatus")) return `${call}:dial:${get(p, "DialCallStatus")}`;
    return `${call}:${get(p, "CallStatus")}`;
  }
  const sid = get(p, "MessageSid") || get(p, "SmsSid") || get(p, "SmsMessageSid");
  if (!sid) return null;
  const status = get(p, "MessageStatus") || get(p, "SmsStatus");
  return !status || status === "received" || status === "receiving" ? sid : `${sid}:${status}`;
}
