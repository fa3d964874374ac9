import { createHmac, timingSafeEqual } from "node:crypto";
import type { Verified } from "../types.ts";

/** Standard Webhooks' tolerance, both ways (a timestamp too far in the future is refused as well). */
export const TOLERANCE_SECONDS = 5 * 60;

const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/**
 * The HMAC key of Standard Webhooks, as its libraries derive it: the secret without a `whsec_` prefix,
 * base64-decoded (so a sender using `standardwebhooks` or `svix` with the same secret string matches).
 */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}

/**
 * An inbound source's delivery, signed with its secret one of three ways:
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
 *   "id.timestamp.body">`, any of several space-separated signatures), timestamp within 5 minutes;
 * - `X-OneThread-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, keyed by the secret as written;
 * - `X-Cal-Signature-256: <hex>`, the same HMAC as Cal.com sends it (its "secret key" field);
 * - `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as Calendly signs with the
 *   subscription's `signing_key` (set it to the source's secret), timestamp within 5 minutes.
 * Comparisons are constant-time; when Standard Webhooks headers are present they alone decide.
 */
export function verifyInboundSignature(secret: string, headers: Headers, raw: string, nowMs: number): Verified | null {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (id !== null || timestamp !== null || signatures !== null) {
    if (!id || !timestamp || !signatures || id.length > 256 || !/^\d{1,12}$/.test(timestamp)) return null;
    if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return null;
    const expected = createHmac("sha256", standardWebhooksKey(secret)).update(`${id}.${timestamp}.${raw}`).digest();
    const ok = signatures
      .split(" ")
      .map((s) => s.split(","))
      .some(([version, sig]) => version === "v1" && !!sig && equal(Buffer.from(sig, "base64"), expected));
    return ok ? { scheme: "standard-webhooks", deliveryId: id } : null;
  }
  const hmac = () => createHmac("sha256", Buffer.from(secret, "utf8")).update(raw).digest();
  const own = /^sha256=([0-9a-f]{64})$/i.exec(headers.get("x-onethread-signature")?.trim() ?? "");
  if (own?.[1]) return equal(Buffer.from(own[1], "hex"), hmac()) ? { scheme: "onethread" } : null;
  const cal = /^([0-9a-f]{64})$/i.exec(headers.get("x-cal-signature-256")?.trim() ?? "");
  if (cal?.[1]) return equal(Buffer.from(cal[1], "hex"), hmac()) ? { scheme: "cal" } : null;
  const calendly = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/i.exec(headers.get("calendly-webhook-signature")?.trim() ?? "");
  if (calendly?.[1] && calendly[2]) {
    if (Math.abs(nowMs / 1000 - Number(calendly[1])) > TOLERANCE_SECONDS) return null;
    const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${calendly[1]}.${raw}`).digest();
    return equal(Buffer.from(calendly[2], "hex"), expected) ? { scheme: "calendly" } : null;
  }
  return null;
}
