import { expect, test } from "vitest";
import journey from "../demo/journey-12-days.json" with { type: "json" };
import { describeEvent } from "./describe-event.ts";
import { actionWords, agentName, formatDuration, words } from "./words.ts";

const byId = (id: string) => {
  const e = journey.events.find((x) => x.id === id);
  if (!e) throw new Error(id);
  return describeEvent(e as Parameters<typeof describeEvent>[0]);
};

test("the 12-day journey in plain words, with its details", () => {
  expect(byId("j1")).toMatchObject({
    title: "Landed on / from a Google search",
    lane: "web",
    step: "page",
    landing: true,
  });
  expect(byId("j1").facts).toEqual(
    expect.arrayContaining([
      { label: "Search terms", value: "best mover ventura ca" },
      { label: "Source", value: "google / organic" },
      { label: "Referrer", value: "google.com" },
    ]),
  );
  expect(byId("j2")).toMatchObject({ title: "Viewed /pricing/", landing: false });
  expect(byId("j2").facts).toEqual([
    { label: "Page title", value: "Pricing" },
    { label: "Engaged", value: "2m 18s" },
    { label: "Scrolled", value: "100%" },
    { label: "Hovered", value: "“tier-1k”" },
  ]);
  expect(byId("j4").title).toBe("Submitted the quote form on /quote/");
  expect(byId("j5")).toMatchObject({ title: "Qualify agent qualified the lead", lane: "agent" });
  expect(byId("j5").facts).toEqual([
    { label: "Asked", value: "3 questions" },
    { label: "Outcome", value: "Ready to book" },
  ]);
  expect(byId("j6")).toMatchObject({
    title: "Opened the quote email",
    facts: [{ label: "Clicked", value: "“see calendar”" }],
  });
  expect(byId("j7")).toMatchObject({ title: "Tapped the reminder link in an SMS", lane: "sms" });
  expect(byId("j7").facts).toEqual([{ label: "Went to", value: "/book/" }]);
  expect(byId("j8")).toMatchObject({
    title: "Messaged you on WhatsApp",
    text: "Hi! Got your quote - is Saturday morning free?",
    lane: "whatsapp",
    step: "message",
  });
  expect(byId("j9")).toMatchObject({
    title: "Booking agent offered 3 slots",
    facts: [{ label: "In", value: "the WhatsApp thread" }],
  });
  expect(byId("j10")).toMatchObject({ title: "Paid a $50.00 deposit", lane: "payment", step: "payment" });
  expect(byId("j10").facts).toEqual([
    { label: "Amount", value: "$50.00" },
    { label: "For", value: "Moving deposit" },
    { label: "Via", value: "Stripe" },
  ]);
  expect(byId("j11").title).toBe("Onboarding agent sent a calendar invite");
  expect(byId("j12").title).toBe("Sent them the pre-job briefing email");
  expect(byId("j13").title).toBe("Review agent asked for a review");
  expect(byId("j14").facts).toContainEqual({ label: "Hovered", value: "“tier-next”" });
  // No raw code anywhere in a title.
  for (const e of journey.events) expect(byId(e.id).title).not.toMatch(/[a-z]_[a-z]/);
});

test("a message's whole text comes back uncut, and unknown properties still show", () => {
  const long = "Hi! ".repeat(200).trim();
  const d = describeEvent({
    source: "channel",
    type: "message_out",
    channel: "sms",
    properties: { body: long, agent: "follow_up", status: "delivered", custom_field: "kept" },
  });
  expect(d.title).toBe("Follow-up agent replied on SMS");
  expect(d.text).toBe(long);
  expect(d.facts).toEqual([
    { label: "Status", value: "delivered" },
    { label: "Custom field", value: "kept" },
  ]);
  expect(
    describeEvent({ source: "email", type: "email_replied", properties: { subject: "Re: quote", text: "Ok" } }),
  ).toMatchObject({
    title: "Replied to the email “Re: quote”",
    text: "Ok",
  });
  expect(
    describeEvent({
      source: "ads",
      type: "ad_click",
      campaign: { utm_source: "google", utm_medium: "cpc", gclid: "abc" },
    }),
  ).toMatchObject({
    title: "Clicked a Google ad",
    lane: "ads",
    facts: [
      { label: "Source", value: "google / cpc" },
      { label: "Google Ads click id", value: "abc" },
    ],
  });
  expect(
    describeEvent({ source: "channel", type: "call_in", channel: "voice", properties: { duration: 252 } }),
  ).toMatchObject({
    title: "Called you",
    facts: [{ label: "Length", value: "4m 12s" }],
    lane: "voice",
  });
  expect(
    describeEvent({
      source: "webhook",
      type: "payment_refunded",
      properties: { amount: 5000, currency: "usd", reason: "Moved the date" },
    }).title,
  ).toBe("Was refunded $50.00");
  expect(describeEvent({ source: "web", type: "wishlist_added", properties: { sku: "A1" } })).toMatchObject({
    title: "Wishlist added",
    facts: [{ label: "Sku", value: "A1" }],
  });
});

test("codes into words", () => {
  expect(words("pre_job_briefing")).toBe("pre-job briefing");
  expect(words("follow_up")).toBe("follow-up");
  expect(agentName("faq")).toBe("FAQ agent");
  expect(agentName("booking_agent")).toBe("Booking agent");
  expect(actionWords("qualified_lead")).toBe("qualified the lead");
  expect(actionWords("invoice_sent")).toBe("sent the invoice");
  expect(actionWords("offered_slots", { slots: 1 })).toBe("offered 1 slot");
  expect(actionWords("escalated")).toBe("handed over to a person");
  expect(actionWords("thought_hard")).toBe("thought hard");
  expect(formatDuration(138)).toBe("2m 18s");
  expect(formatDuration(45)).toBe("45s");
  expect(formatDuration(120)).toBe("2m");
  expect(formatDuration(3 * 3600 + 5 * 60)).toBe("3h 05m");
  expect(formatDuration(61)).toBe("1m 1s");
});

test("conversion send-back on the timeline: sent ✓, refused with the network's words, or not sent", () => {
  const sent = (properties: Record<string, unknown>) =>
    describeEvent({ source: "ads", type: "conversion_sent", properties });
  expect(
    sent({ destination: "meta", status: "sent", conversion: "Purchase", value: 50, currency: "USD" }),
  ).toMatchObject({
    title: "Sent to Meta ✓",
    lane: "ads",
    facts: [
      { label: "Value", value: "50 USD" },
      { label: "Conversion", value: "Purchase" },
    ],
  });
  expect(sent({ destination: "google", status: "sent" }).title).toBe("Sent to Google Ads ✓");
  expect(sent({ destination: "meta", status: "refused", error: "Invalid parameter" }).title).toBe(
    "Meta refused: Invalid parameter",
  );
  expect(sent({ destination: "meta", status: "not_sent", error: "older than 7 days" }).title).toBe(
    "Not sent to Meta: older than 7 days",
  );
});
