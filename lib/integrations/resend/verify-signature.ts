import { Webhook } from "svix";
import type { Verified } from "../types.ts";

/**
 * Svix's headers as Resend sends them (`svix-id`, `svix-timestamp`, `svix-signature: v1,<base64>` …), checked by
 * the `svix` package itself with the endpoint's secret (`whsec_…`, keyed by the base64 after the prefix) and
 * its ±5 minute tolerance on the timestamp, both ways. The delivery id is `svix-id`: Svix retries a message
 * with the same id. The unbranded `webhook-*` names are read too, as svix does.
 */
export function verifyResendSignature(secret: string, headers: Headers, raw: string): Verified | null {
  const id = headers.get("svix-id") ?? headers.get("webhook-id");
  const timestamp = headers.get("svix-timestamp") ?? headers.get("webhook-timestamp");
  const signature = headers.get("svix-signature") ?? headers.get("webhook-signature");
  if (!id || !timestamp || !signature || id.length > 256) return null;
  try {
    new Webhook(secret).verify(raw, { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature });
    return { scheme: "svix", deliveryId: id };
  } catch {
    return null;
  }
}
