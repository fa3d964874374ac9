import { createHmac } from "node:crypto";
import { expect, test } from "vitest";
import { verifyInboundSignature } from "./verify-signature.ts";

// The Standard Webhooks / Svix test vector (INTEGRATIONS.md §3.3), with the clock at its timestamp.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const sw = (signature: string, ts = TS, id = ID) =>
  new Headers({ "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature });

test("Standard Webhooks: the published test vector verifies, among several signatures, within 5 minutes only", () => {
  expect(verifyInboundSignature(SECRET, sw(SIG), BODY, TS * 1000)).toEqual({
    scheme: "standard-webhooks",
    deliveryId: ID,
  });
  expect(verifyInboundSignature(SECRET, sw(`v1,AAAA ${SIG}`), BODY, TS * 1000)).not.toBeNull();
  expect(verifyInboundSignature(SECRET, sw(SIG), BODY, (TS + 299) * 1000)).not.toBeNull();
  expect(verifyInboundSignature(SECRET, sw(SIG), BODY, (TS + 301) * 1000)).toBeNull();
  expect(verifyInboundSignature(SECRET, sw(SIG), BODY, (TS - 301) * 1000)).toBeNull();
  expect(verifyInboundSignature(SECRET, sw(SIG.replace("v1,", "v2,")), BODY, TS * 1000)).toBeNull();
  expect(verifyInboundSignature(SECRET, sw(SIG, TS, "msg_other"), BODY, TS * 1000)).toBeNull();
  expect(verifyInboundSignature(SECRET, sw(SIG), `${BODY} `, TS * 1000)).toBeNull();
});

test("X-OneThread-Signature is sha256=<hex HMAC of the raw body> keyed by the secret as written", () => {
  const hex = createHmac("sha256", SECRET).update(BODY).digest("hex");
  const h = (v: string) => new Headers({ "x-onethread-signature": v });
  expect(verifyInboundSignature(SECRET, h(`sha256=${hex}`), BODY, Date.now())).toEqual({ scheme: "onethread" });
  expect(verifyInboundSignature(SECRET, h(`sha256=${hex.toUpperCase()}`), BODY, Date.now())).not.toBeNull();
  expect(verifyInboundSignature(SECRET, h(hex), BODY, Date.now())).toBeNull();
  expect(verifyInboundSignature(SECRET, h(`sha256=${hex.slice(0, 63)}`), BODY, Date.now())).toBeNull();
  expect(verifyInboundSignature(`${SECRET}x`, h(`sha256=${hex}`), BODY, Date.now())).toBeNull();
  expect(verifyInboundSignature(SECRET, new Headers(), BODY, Date.now())).toBeNull();
});
