import { z } from "zod";
import { targetUrlSchema } from "../links/schemas.ts";

/** Stripe's own ceiling for one amount (eight digits of minor units in most currencies). */
export const MAX_AMOUNT = 99_999_999;

/** POST /api/v1/checkout (API.md "Links, checkout…"); the two return URLs are optional additions. */
export const checkoutSchema = z
  .object({
    profileId: z.string().min(1).max(64),
    amount: z
      .number()
      .int("must be a whole number of minor units (cents): 5000 for $50.00")
      .positive("must be more than 0")
      .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT} minor units`),
    currency: z.string().regex(/^[a-z]{3}$/, "must be an ISO 4217 code in lower case, such as usd or eur"),
    description: z.string().trim().min(1, "must say what is paid for").max(250),
    /** Where Stripe sends the payer after paying; default this app's "payment received" page. */
    successUrl: targetUrlSchema.optional(),
    /** Where the payer goes back when they leave Checkout; default the success page's "not paid" form. */
    cancelUrl: targetUrlSchema.optional(),
  })
  .strict();
export type CheckoutInput = z.output<typeof checkoutSchema>;
