import Stripe from "stripe";
import { appUrl } from "../config/env.ts";
import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { liveProfileIdOr404 } from "../identity/live-profile-id.ts";
import { stripeClient } from "../integrations/stripe/client.ts";
import type { CheckoutInput } from "./schemas.ts";

/** The workspace's Stripe secret key, or 409 `integration_missing`. */
async function stripeSecretKey(db: Db, workspaceId: string): Promise<string> {
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { workspaceId_provider_name: { workspaceId, provider: "stripe", name: "default" } },
    select: { credentialsEnc: true },
  });
  const key = endpoint?.credentialsEnc
    ? (JSON.parse(decrypt(endpoint.credentialsEnc)) as { secretKey?: string }).secretKey
    : null;
  if (!key)
    throw new AppError(
      "integration_missing",
      409,
      "Stripe is not connected to this workspace: connect it in Settings → Integrations (or PUT /api/v1/integrations/stripe).",
    );
  return key;
}

/** A Stripe failure as a 502 that carries Stripe's own words; nothing was stored before the call. */
function providerError(error: unknown): AppError {
  if (error instanceof Stripe.errors.StripeError) {
    const what =
      error.type === "StripeConnectionError"
        ? `Stripe could not be reached or did not answer in time (${error.message})`
        : `Stripe refused the checkout: ${error.message}`;
    return new AppError("provider_error", 502, what, [
      { path: "stripe", message: [error.type, error.code, error.statusCode].filter(Boolean).join(" ") },
    ]);
  }
  return new AppError("provider_error", 502, `Creating the Stripe checkout failed: ${String(error).slice(0, 300)}`);
}

/**
 * POST /api/v1/checkout: a one-line deposit Checkout Session (mode payment) on the workspace's own Stripe.
 * `client_reference_id` and `metadata.onethread_profile` carry the live profile id (a merged-away id is
 * followed to its survivor), on the session and on its payment intent (Stripe copies neither), so the
 * webhooks of either land on that person. Stripe creates a Customer (`customer_creation: always`): its id
 * becomes the person's `account` identifier when the checkout completes.
 */
export async function createCheckout(db: Db, workspaceId: string, input: CheckoutInput) {
  const profileId = await liveProfileIdOr404(db, workspaceId, input.profileId);
  const secretKey = await stripeSecretKey(db, workspaceId);
  const metadata = { onethread_profile: profileId };
  const done = `${appUrl()}/checkout/done`;
  try {
    const session = await stripeClient(secretKey).checkout.sessions.create({
      mode: "payment",
      client_reference_id: profileId,
      metadata,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: input.currency,
            unit_amount: input.amount,
            product_data: { name: input.description },
          },
        },
      ],
      payment_intent_data: { metadata, description: input.description },
      customer_creation: "always",
      phone_number_collection: { enabled: true },
      success_url: input.successUrl ?? `${done}?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: input.cancelUrl ?? `${done}?cancelled=1`,
    });
    if (!session.url) throw new Error("Stripe answered a session without a url.");
    return { url: session.url, sessionId: session.id };
  } catch (error) {
    throw providerError(error);
  }
}
