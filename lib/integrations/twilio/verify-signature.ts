import twilio from "twilio";
import type { Verified } from "../types.ts";
import { deliveryIdOf, parseTwilioForm } from "./parse-form.ts";

/**
 * `X-Twilio-Signature` checked by the SDK itself (`validateRequest`: base64 HMAC-SHA1 of the public URL, query
 * included, followed by the sorted POST parameters, keyed by the account's Auth Token). The delivery id comes
 * from the parameters (parse-form.ts): a message, each of its status changes, each call status.
 */
export function verifyTwilioSignature(
  authToken: string,
  headers: Headers,
  raw: string,
  _nowMs: number,
  publicUrl: string,
): Verified | null {
  const signature = headers.get("x-twilio-signature");
  if (!signature) return null;
  let params: Record<string, string>;
  try {
    params = parseTwilioForm(raw);
  } catch {
    return null;
  }
  try {
    if (!twilio.validateRequest(authToken, signature, publicUrl, params)) return null;
  } catch {
    return null;
  }
  return { scheme: "twilio", ...(deliveryIdOf(params) ? { deliveryId: deliveryIdOf(params) as string } : {}) };
}
