import Stripe from "stripe";
import { expect, test } from "vitest";
import { verifyStripeSignature } from "./verify-signature.ts";

// INTEGRATIONS.md 1.2's test vector, run against the SDK at a fixed clock.
const SECRET = "whsec_test_secret";
const BODY = '{"id":"evt_test_1","object":"event","type":"checkout.session.completed"}';
const HEADER = "t=1700000000,v1=ca796b857b81e24d595a4c37abf88d2fafb533a32ede6ce4cfc9b0e892a35b08";
const at = (s: number) => s * 1000;
const h = (v: string) => new Headers({ "stripe-signature": v });

test("Stripe-Signature: the published vector verifies within 300 s, the event id is the delivery id", () => {
  expect(verifyStripeSignature(SECRET, h(HEADER), BODY, at(1700000000))).toEqual({
    scheme: "stripe",
    deliveryId: "evt_test_1",
  });
  expect(verifyStripeSignature(SECRET, h(HEADER), BODY, at(1700000299))).not.toBeNull();
  expect(verifyStripeSignature(SECRET, h(HEADER), BODY, at(1700000301))).toBeNull();
  expect(
    verifyStripeSignature(SECRET, h(`t=1700000000,v1=${"0".repeat(64)},${HEADER.split(",")[1]}`), BODY, at(1700000000)),
  ).not.toBeNull();
  expect(verifyStripeSignature(`${SECRET}x`, h(HEADER), BODY, at(1700000000))).toBeNull();
  expect(verifyStripeSignature(SECRET, h(HEADER), `${BODY} `, at(1700000000))).toBeNull();
  expect(verifyStripeSignature(SECRET, h(HEADER.replace("v1=", "v0=")), BODY, at(1700000000))).toBeNull();
  expect(verifyStripeSignature(SECRET, new Headers(), BODY, at(1700000000))).toBeNull();
});

test("a signed body that is no event with an id is refused too", () => {
  const body = '{"object":"event"}';
  const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
  expect(verifyStripeSignature(SECRET, h(header), body, Date.now())).toBeNull();
});
