import Stripe from "stripe";
import type { Verified } from "../types.ts";

/** Stripe's own tolerance (INTEGRATIONS.md 1.1: v23 skips the check for 0, so it is always passed explicitly). */
export const STRIPE_TOLERANCE_SECONDS = 300;

/**
 * `Stripe-Signature: t=…,v1=…` checked by the SDK itself (`webhooks.constructEvent`, 300 s), with the clock the
 * pipeline passes. The delivery id is the Stripe event id (`evt_…`): Stripe redelivers the same event with it.
 */
export function verifyStripeSignature(secret: string, headers: Headers, raw: string, nowMs: number): Verified | null {
  const header = headers.get("stripe-signature");
  if (!header) return null;
  try {
    const event = Stripe.webhooks.constructEvent(raw, header, secret, STRIPE_TOLERANCE_SECONDS, undefined, nowMs);
    return typeof event.id === "string" && event.id ? { scheme: "stripe", deliveryId: event.id } : null;
  } catch {
    return null;
  }
}
