import { expect, test } from "vitest";
import { summarizeEvent } from "./summarize-event.ts";

test("one line per event, as the timeline shows it", () => {
  expect(summarizeEvent({ source: "web", type: "page_view", properties: { url: "/pricing/" } })).toBe(
    "Viewed /pricing/",
  );
  expect(
    summarizeEvent({
      source: "channel",
      type: "message_in",
      channel: "whatsapp",
      direction: "in",
      properties: { body: "Hi! Got your quote - is Saturday morning free?" },
    }),
  ).toBe("WhatsApp message in: “Hi! Got your quote - is Saturday morning free?”");
  expect(
    summarizeEvent({
      source: "webhook",
      type: "payment_succeeded",
      properties: { amount: 5000, currency: "usd", description: "Moving deposit" },
    }),
  ).toBe("Paid $50.00 deposit");
  expect(
    summarizeEvent({
      source: "agent",
      type: "agent_action",
      properties: { agent: "qualify", action: "qualified_lead" },
    }),
  ).toBe("Qualify agent qualified the lead");
  expect(
    summarizeEvent({ source: "email", type: "email_sent", channel: "email", properties: { kind: "pre_job_briefing" } }),
  ).toBe("Email sent: pre-job briefing");
  expect(
    summarizeEvent({ source: "email", type: "email_opened", channel: "email", properties: { kind: "quote" } }),
  ).toBe("Email opened: quote");
  // An email's text, shown decrypted, is quoted when there is no kind or subject to name it by.
  expect(
    summarizeEvent({ source: "email", type: "email_replied", properties: { text: "Is Saturday free for the move?" } }),
  ).toBe("Email replied: “Is Saturday free for the move?”");
  expect(
    summarizeEvent({ source: "email", type: "email_replied", properties: { subject: "Re: quote", text: "Ok" } }),
  ).toBe("Email replied: Re: quote");
  expect(summarizeEvent({ source: "web", type: "form_submit", properties: { form: "quote", url: "/quote/" } })).toBe(
    "Submitted the quote form on /quote/",
  );
  expect(
    summarizeEvent({ source: "webhook", type: "payment_succeeded", properties: { amount: 1500, currency: "jpy" } }),
  ).toBe("Paid ¥1,500");
  expect(summarizeEvent({ source: "web", type: "wishlist_added", properties: {} })).toBe("Wishlist added");
  expect(
    summarizeEvent({
      source: "channel",
      type: "message_out",
      channel: "sms",
      properties: { body: "Your van is on its way", status: "failed", error: "The 'To' number is not valid." },
    }),
  ).toBe("SMS message out: “Your van is on its way” — not sent: The 'To' number is not valid.");
});

test("a summary is one bounded line whatever the input", () => {
  const s = summarizeEvent({
    source: "channel",
    type: "message_out",
    channel: "sms",
    properties: { body: "a\n".repeat(1000) },
  });
  expect(s).not.toContain("\n");
  expect(s.length).toBeLessThanOrEqual(160);
  expect(
    summarizeEvent({ source: "ads", type: "ad_click", properties: null, campaign: { utm_source: "google" } }),
  ).toBe("Clicked an ad (google)");
});
