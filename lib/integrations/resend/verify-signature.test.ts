import { Webhook } from "svix";
import { afterEach, expect, test, vi } from "vitest";
import { verifyResendSignature } from "./verify-signature.ts";

// INTEGRATIONS.md 3.3's vector (Svix's own documentation), checked at its clock.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const h = (o: Record<string, string>) => new Headers(o);
const svix = (sig = SIG, ts = TS, id = ID) => h({ "svix-id": id, "svix-timestamp": String(ts), "svix-signature": sig });

afterEach(() => {
  vi.useRealTimers();
});

test("the published vector verifies within ±5 minutes of its timestamp; svix-id is the delivery id", () => {
  vi.useFakeTimers();
  vi.setSystemTime(TS * 1000);
  expect(verifyResendSignature(SECRET, svix(), BODY)).toEqual({ scheme: "svix", deliveryId: ID });
  // Several signatures (a rotation): any matching v1 counts.
  expect(verifyResendSignature(SECRET, svix(`v1,${"A".repeat(43)}= ${SIG}`), BODY)).not.toBeNull();
  // The unbranded names.
  expect(
    verifyResendSignature(
      SECRET,
      h({ "webhook-id": ID, "webhook-timestamp": String(TS), "webhook-signature": SIG }),
      BODY,
    ),
  ).not.toBeNull();
  vi.setSystemTime((TS + 299) * 1000);
  expect(verifyResendSignature(SECRET, svix(), BODY)).not.toBeNull();
  vi.setSystemTime((TS + 301) * 1000);
  expect(verifyResendSignature(SECRET, svix(), BODY)).toBeNull();
  vi.setSystemTime((TS - 301) * 1000);
  expect(verifyResendSignature(SECRET, svix(), BODY)).toBeNull();
});

test("another secret, another body, id or timestamp, or missing headers: refused", () => {
  vi.useFakeTimers();
  vi.setSystemTime(TS * 1000);
  expect(verifyResendSignature("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", svix(), BODY)).toBeNull();
  expect(verifyResendSignature(SECRET, svix(), `${BODY} `)).toBeNull();
  expect(verifyResendSignature(SECRET, svix(SIG, TS, "msg_other"), BODY)).toBeNull();
  expect(verifyResendSignature(SECRET, svix(SIG, TS + 1), BODY)).toBeNull();
  expect(verifyResendSignature(SECRET, svix(SIG.replace("v1,", "v2,")), BODY)).toBeNull();
  expect(verifyResendSignature(SECRET, h({ "svix-id": ID, "svix-timestamp": String(TS) }), BODY)).toBeNull();
  expect(verifyResendSignature(SECRET, new Headers(), BODY)).toBeNull();
});

test("what svix's own signer makes now verifies now", () => {
  const id = "msg_now";
  const now = new Date();
  const body = '{"type":"email.sent"}';
  const sig = new Webhook(SECRET).sign(id, now, body);
  expect(verifyResendSignature(SECRET, svix(sig, Math.floor(now.getTime() / 1000), id), body)).toEqual({
    scheme: "svix",
    deliveryId: id,
  });
});
