/** The settings page's signed test event: verified and logged, never stored on anyone. */
export const TEST_EVENT_TYPE = "onethread.test_event";

/** What the settings page lists to select in Stripe's dashboard: every type map-event.ts maps. */
export const STRIPE_EVENT_TYPES = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "payment_intent.succeeded",
  "charge.refunded",
] as const;
