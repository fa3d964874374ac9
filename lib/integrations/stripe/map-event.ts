import { z } from "zod";
import type { IngestEventInput } from "../../ingest/schemas.ts";
import type { MappedDelivery } from "../types.ts";
import { TEST_EVENT_TYPE } from "./event-types.ts";

const text = z.string().max(2000);
const id = z.string().max(255);
/** Expandable references arrive as an id, or as the object when expanded. */
const ref = z.union([id, z.object({ id }).loose()]).nullish();
const metadata = z.record(z.string(), z.string()).nullish();
const money = z.number().int().nonnegative().nullish();

/** The envelope of every Stripe event (INTEGRATIONS.md 1.3) and the fields of its object that we read. */
export const stripeEventBody = z.object({
  id: id.regex(/^evt_/, "must be a Stripe event id (evt_…)"),
  object: z.literal("event"),
  type: z.string().max(200),
  created: z.number().int().positive(),
  livemode: z.boolean().optional(),
  data: z.object({
    object: z
      .object({
        id: id.optional(),
        object: z.string().max(100).optional(),
        client_reference_id: text.nullish(),
        metadata,
        amount: money,
        amount_total: money,
        amount_received: money,
        amount_refunded: money,
        currency: z.string().max(10).nullish(),
        customer: ref,
        customer_email: text.nullish(),
        customer_details: z
          .object({ email: text.nullish(), phone: text.nullish(), name: text.nullish() })
          .loose()
          .nullish(),
        billing_details: z
          .object({ email: text.nullish(), phone: text.nullish(), name: text.nullish() })
          .loose()
          .nullish(),
        receipt_email: text.nullish(),
        payment_intent: ref,
        payment_status: z.string().max(50).nullish(),
        mode: z.string().max(50).nullish(),
        refunded: z.boolean().nullish(),
      })
      .loose(),
    previous_attributes: z.object({ amount_refunded: money }).loose().nullish(),
  }),
});
export type StripeEventBody = z.output<typeof stripeEventBody>;

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const refId = (v: z.output<typeof ref>) => str(typeof v === "string" ? v : v?.id);

/**
 * The one payment event of a payment intent. `checkout.session.completed` (paid) and `payment_intent.succeeded`
 * both describe it and Stripe sends them in either order: both derive this client event id, so ingest's
 * idempotency (an id is unique per workspace) keeps whichever arrives first and answers the other a duplicate.
 */
export const paymentEventId = (paymentIntent: string) => `stripe_payment_succeeded_${paymentIntent}`.slice(0, 128);

/**
 * A Stripe event → ingest events. `checkout.session.completed` → `webhook/checkout_completed` (and, when paid,
 * the payment intent's `payment_succeeded`); `checkout.session.async_payment_succeeded` and
 * `payment_intent.succeeded` → `payment_succeeded`; `charge.refunded` → `payment_refunded` with the amount
 * refunded by this refund. Identity: the payer's email and phone, the Stripe customer id as `account` (R10
 * rung 4 comes with the types), and the OneThread profile the checkout was made for (`client_reference_id` or
 * `metadata.onethread_profile`) as `profileRef`. Any other type is kept and ignored.
 */
export function mapStripeEvent(body: StripeEventBody): MappedDelivery {
  const o = body.data.object;
  const summary = `Stripe ${body.type}`;
  if (body.type === TEST_EVENT_TYPE)
    return { summary: "Test event (verified, not stored)", events: [], ignored: true, test: true };
  const occurredAt = new Date(body.created * 1000).toISOString();
  const customer = refId(o.customer);
  const paymentIntent = refId(o.payment_intent) ?? (o.object === "payment_intent" ? str(o.id) : undefined);
  const profileRef = str(o.client_reference_id) ?? str(o.metadata?.onethread_profile);
  const details = o.customer_details ?? o.billing_details;
  const identity = {
    email: str(details?.email) ?? str(o.customer_email) ?? str(o.receipt_email),
    phone: str(details?.phone),
    accountId: customer,
  };
  const base = { source: "webhook", occurredAt, identity };
  const common = {
    provider: "stripe",
    currency: str(o.currency)?.toLowerCase(),
    ...(customer ? { stripeCustomer: customer } : {}),
    ...(paymentIntent ? { paymentIntent } : {}),
    ...(body.livemode === false ? { testMode: true } : {}),
  };
  const events: IngestEventInput[] = [];
  const payment = (amount: number | null | undefined) => {
    if (!paymentIntent) return;
    events.push({
      ...base,
      id: paymentEventId(paymentIntent),
      type: "payment_succeeded",
      properties: { ...common, amount: amount ?? undefined },
    } as IngestEventInput);
  };
  switch (body.type) {
    case "checkout.session.completed":
      events.push({
        ...base,
        id: `stripe_checkout_completed_${o.id ?? body.id}`.slice(0, 128),
        type: "checkout_completed",
        properties: {
          ...common,
          amount: o.amount_total ?? undefined,
          checkoutSession: o.id,
          paymentStatus: o.payment_status,
        },
      } as IngestEventInput);
      if (o.payment_status === "paid") payment(o.amount_total);
      break;
    case "checkout.session.async_payment_succeeded":
      payment(o.amount_total);
      break;
    case "payment_intent.succeeded":
      payment(o.amount_received ?? o.amount);
      break;
    case "charge.refunded": {
      const before = body.data.previous_attributes?.amount_refunded ?? 0;
      const total = o.amount_refunded ?? 0;
      events.push({
        ...base,
        id: `stripe_payment_refunded_${body.id}`.slice(0, 128),
        type: "payment_refunded",
        properties: {
          ...common,
          amount: Math.max(0, total - before) || total,
          totalRefunded: total,
          charge: o.id,
          fullyRefunded: o.refunded ?? undefined,
        },
      } as IngestEventInput);
      break;
    }
    default:
      return { summary, events: [], ignored: true };
  }
  if (!events.length) return { summary: `${summary} (no payment intent: nothing to record)`, events, ignored: true };
  // Without any identifier the events can only attach through the referenced profile (anchor-profile.ts).
  if (!profileRef && !Object.values(identity).some(Boolean))
    return { summary: `${summary} (names nobody: no customer, email, phone or profile)`, events: [], ignored: true };
  return { summary, events, ...(profileRef ? { profileRef } : {}) };
}
