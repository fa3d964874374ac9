import { z } from "zod";
import type { ProviderModule } from "../types.ts";
import { mapStripeEvent, stripeEventBody } from "./map-event.ts";
import { verifyStripeSignature } from "./verify-signature.ts";

const secretKey = z
  .string()
  .trim()
  .max(255)
  .regex(
    /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/,
    "must be a Stripe secret key (sk_test_…, sk_live_…) or a restricted key (rk_…)",
  );
const webhookSecret = z
  .string()
  .trim()
  .max(255)
  .regex(/^whsec_[A-Za-z0-9+/=]{8,}$/, "must be the endpoint's signing secret (whsec_…), from Stripe's webhook page");

/** `PUT /api/v1/integrations/stripe {"secretKey", "webhookSecret"}` (API.md "Integrations"). */
export const stripeConnectSchema = z.object({ secretKey, webhookSecret }).strict();
export type StripeConnectInput = z.output<typeof stripeConnectSchema>;

/** The workspace's own Stripe: its webhooks, and its secret key for Checkout Sessions (lib/checkout). */
export const stripeProvider: ProviderModule<StripeConnectInput> = {
  id: "stripe",
  label: "Stripe",
  connectSchema: stripeConnectSchema,
  connect: (input) => ({
    secret: input.webhookSecret,
    credentials: { secretKey: input.secretKey },
    // Not secret, and useful on the page: which mode the key is for.
    config: { mode: input.secretKey.includes("_live_") ? "live" : "test" },
  }),
  verify: verifyStripeSignature,
  // The delivery id always comes from the signature step (the event id); nothing else to find in the body.
  bodyDeliveryId: () => null,
  map: (body) => mapStripeEvent(stripeEventBody.parse(body)),
};
