import twilio from "twilio";
import { afterEach, expect, test } from "vitest";
import { resetEnvCache } from "../../config/env.ts";
import { publicUrl } from "../public-url.ts";
import { deliveryIdOf } from "./parse-form.ts";
import { verifyTwilioSignature } from "./verify-signature.ts";

// INTEGRATIONS.md 2.4's test vector.
const TOKEN = "12345";
const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+12349013030",
  Digits: "1234",
  From: "+12349013030",
  To: "+18005551212",
};
const RAW = new URLSearchParams(PARAMS).toString();
const h = (v: string) => new Headers({ "x-twilio-signature": v });
const before = process.env.APP_URL;
afterEach(() => {
  process.env.APP_URL = before;
  resetEnvCache();
});

test("X-Twilio-Signature: the published vector verifies over the URL with its query, and nothing else does", () => {
  const signature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  expect(twilio.getExpectedTwilioSignature(TOKEN, URL_, PARAMS)).toBe(signature);
  expect(verifyTwilioSignature(TOKEN, h(signature), RAW, 0, URL_)).toEqual({
    scheme: "twilio",
    deliveryId: "CA1234567890ABCDE:",
  });
  expect(
    verifyTwilioSignature(TOKEN, h(signature), RAW, 0, "https://mycompany.com:443/myapp.php?foo=1&bar=2"),
  ).not.toBeNull();
  expect(verifyTwilioSignature(TOKEN, h(signature), RAW, 0, "https://mycompany.com/myapp.php")).toBeNull();
  expect(verifyTwilioSignature("54321", h(signature), RAW, 0, URL_)).toBeNull();
  expect(verifyTwilioSignature(TOKEN, h(signature), `${RAW}&Digits2=9`, 0, URL_)).toBeNull();
  expect(verifyTwilioSignature(TOKEN, new Headers(), RAW, 0, URL_)).toBeNull();
});

test("the signed URL is APP_URL + the request's path + its query, whatever host the request came in on", () => {
  process.env.APP_URL = "https://app.example.com/";
  resetEnvCache();
  const req = new Request("http://10.0.0.7:3000/api/webhooks/twilio/abc?foo=1&bar=two%20words");
  expect(publicUrl(req)).toBe("https://app.example.com/api/webhooks/twilio/abc?foo=1&bar=two%20words");
  expect(publicUrl(new Request("http://internal/api/webhooks/twilio/abc"))).toBe(
    "https://app.example.com/api/webhooks/twilio/abc",
  );
});

test("delivery ids: a message, each status change, each call status, a dial outcome and a recording", () => {
  expect(deliveryIdOf({ MessageSid: "SM1", SmsStatus: "received" })).toBe("SM1");
  expect(deliveryIdOf({ SmsSid: "SM1" })).toBe("SM1");
  expect(deliveryIdOf({ MessageSid: "SM1", MessageStatus: "delivered" })).toBe("SM1:delivered");
  expect(deliveryIdOf({ MessageSid: "SM1", MessageStatus: "sent" })).toBe("SM1:sent");
  expect(deliveryIdOf({ CallSid: "CA1", CallStatus: "completed" })).toBe("CA1:completed");
  expect(deliveryIdOf({ CallSid: "CA1", CallStatus: "in-progress", DialCallStatus: "no-answer" })).toBe(
    "CA1:dial:no-answer",
  );
  expect(
    deliveryIdOf({ CallSid: "CA1", CallStatus: "completed", RecordingUrl: "https://x", RecordingSid: "RE1" }),
  ).toBe("CA1:recording:RE1");
  expect(deliveryIdOf({ From: "+1" })).toBeNull();
});
