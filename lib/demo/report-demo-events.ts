import type { DemoEvent } from "./demo-events.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Customers still waiting for an answer: the overview's unanswered threads. */
const WAITING = [
  { name: "Nina Alvarez", channel: "whatsapp", text: "Can you do a 2-bedroom on the 14th? Third floor, no elevator." },
  { name: "Omar Haddad", channel: "sms", text: "Do you have a truck free this Sunday afternoon?" },
  { name: "Lena Park", channel: "whatsapp", text: "Is the $1k tier still available for December?" },
  { name: "Theo Brandt", channel: "sms", text: "Hi, I got the quote. Does it include packing materials?" },
];

/** Customers who paid, then cancelled: the GA comparison's refunds with the thread around them. */
const CANCELLED = [
  {
    name: "Iris Novak",
    said: "We have to cancel, the sale of our house fell through. Can we get the deposit back?",
    reply: "So sorry to hear that, Iris. Your $50 deposit is on its way back; we are here when you are ready.",
  },
  {
    name: "Marco Bellini",
    said: "Please cancel Saturday. We found a cheaper mover, sorry.",
    reply: "Understood, Marco. Deposit refunded. If anything changes, just reply here.",
  },
];

/** Older visitors (35 to 85 days ago), so longer ranges of the reports have a history. */
const OLDER = 16;

/**
 * Demo people for the reports (overview, ladder, GA comparison), added to the demo workspace next to the
 * synthetic customers: threads still waiting for an answer, paid bookings cancelled with a refund and the
 * conversation around it, and older visitors who climbed the ladder weeks ago. Relative to `now` and
 * deterministic, like the rest of the demo.
 */
export function reportDemoEvents(now: Date): DemoEvent[] {
  const t = now.getTime();
  const iso = (ms: number) => new Date(Math.min(ms, t - 60_000)).toISOString();
  const events: DemoEvent[] = [];
  WAITING.forEach((p, i) => {
    const slug = p.name.toLowerCase().replace(/\s+/g, ".");
    const email = `${slug}@example.com`;
    const phone = `+1805555${String(3100 + i)}`;
    const start = t - (2 + i) * DAY - 5 * HOUR;
    const id = (n: number) => `rdemo_wait_${i}_${n}`;
    events.push(
      {
        id: id(0),
        source: "web",
        type: "page_view",
        occurredAt: iso(start),
        identity: { deviceId: `d_rdemo_wait_${i}` },
        properties: { url: "https://acmemovers.test/pricing/", title: "Pricing", engagedSeconds: 95 + i * 20 },
      },
      {
        id: id(1),
        source: "web",
        type: "form_submit",
        occurredAt: iso(start + 4 * 60_000),
        identity: { deviceId: `d_rdemo_wait_${i}`, email },
        properties: { form: "quote", url: "https://acmemovers.test/quote/", name: p.name },
      },
      {
        id: id(2),
        source: "email",
        type: "email_sent",
        occurredAt: iso(start + 6 * 60_000),
        identity: { email },
        channel: "email",
        properties: { kind: "quote", subject: "Your moving quote" },
      },
      {
        id: id(3),
        source: "channel",
        type: "message_in",
        occurredAt: iso(start + (20 + i * 7) * HOUR),
        identity: { phone, email },
        channel: p.channel,
        direction: "in",
        properties: { body: p.text },
      },
    );
  });
  CANCELLED.forEach((p, i) => {
    const slug = p.name.toLowerCase().replace(/\s+/g, ".");
    const email = `${slug}@example.com`;
    const phone = `+1805555${String(3200 + i)}`;
    const account = `cus_rdemo_${i}`;
    const start = t - (12 + i * 4) * DAY;
    const id = (n: number) => `rdemo_cancel_${i}_${n}`;
    events.push(
      {
        id: id(0),
        source: "web",
        type: "page_view",
        occurredAt: iso(start),
        identity: { deviceId: `d_rdemo_cancel_${i}` },
        properties: { url: "https://acmemovers.test/?utm_source=google&utm_medium=cpc&utm_campaign=movers-ventura" },
        campaign: { utm_source: "google", utm_medium: "cpc", utm_campaign: "movers-ventura" },
      },
      {
        id: id(1),
        source: "web",
        type: "form_submit",
        occurredAt: iso(start + 10 * 60_000),
        identity: { deviceId: `d_rdemo_cancel_${i}`, email },
        properties: { form: "quote", name: p.name },
      },
      {
        id: id(2),
        source: "channel",
        type: "message_in",
        occurredAt: iso(start + 3 * HOUR),
        identity: { phone, email },
        channel: "whatsapp",
        direction: "in",
        properties: { body: "Great, can we book the Saturday slot?" },
      },
      {
        id: id(3),
        source: "webhook",
        type: "payment_succeeded",
        occurredAt: iso(start + 3 * HOUR + 15 * 60_000),
        identity: { email, accountId: account },
        properties: { provider: "stripe", amount: 5000, currency: "usd", description: "Moving deposit" },
      },
      {
        id: id(4),
        source: "webhook",
        type: "booking_created",
        occurredAt: iso(start + 3 * HOUR + 16 * 60_000),
        identity: { accountId: account },
        properties: { provider: "scheduler", slot: "Saturday 9:00" },
      },
      {
        id: id(5),
        source: "channel",
        type: "message_in",
        occurredAt: iso(start + 3 * DAY),
        identity: { phone },
        channel: "whatsapp",
        direction: "in",
        properties: { body: p.said },
      },
      {
        id: id(6),
        source: "webhook",
        type: "booking_cancelled",
        occurredAt: iso(start + 3 * DAY + 20 * 60_000),
        identity: { accountId: account },
        properties: { provider: "scheduler", reason: "customer request" },
      },
      {
        id: id(7),
        source: "webhook",
        type: "payment_refunded",
        occurredAt: iso(start + 3 * DAY + 40 * 60_000),
        identity: { accountId: account },
        properties: { provider: "stripe", amount: 5000, currency: "usd", reason: p.said },
      },
      {
        id: id(8),
        source: "channel",
        type: "message_out",
        occurredAt: iso(start + 3 * DAY + 42 * 60_000),
        identity: { phone },
        channel: "whatsapp",
        direction: "out",
        properties: { body: p.reply, agent: "refunds" },
      },
    );
  });
  for (let i = 0; i < OLDER; i++) {
    const device = `d_rdemo_old_${i}`;
    const email = `visitor.${i}@example.com`;
    const start = t - (35 + ((i * 17) % 50)) * DAY - (i % 7) * HOUR;
    const id = (n: number) => `rdemo_old_${i}_${n}`;
    events.push({
      id: id(0),
      source: "web",
      type: "page_view",
      occurredAt: iso(start),
      identity: { deviceId: device },
      properties: { url: "https://acmemovers.test/", title: "Acme Movers" },
    });
    if (i % 2 === 0)
      events.push({
        id: id(1),
        source: "web",
        type: "page_view",
        occurredAt: iso(start + (1 + (i % 3)) * DAY),
        identity: { deviceId: device },
        properties: { url: "https://acmemovers.test/pricing/", title: "Pricing" },
      });
    if (i % 4 === 0) {
      events.push(
        {
          id: id(2),
          source: "web",
          type: "form_submit",
          occurredAt: iso(start + (1 + (i % 3)) * DAY + 5 * 60_000),
          identity: { deviceId: device, email },
          properties: { form: "quote" },
        },
        {
          id: id(3),
          source: "email",
          type: "email_opened",
          occurredAt: iso(start + (1 + (i % 3)) * DAY + 2 * HOUR),
          identity: { email },
          channel: "email",
          properties: { kind: "quote" },
        },
      );
    }
    if (i % 8 === 0)
      events.push({
        id: id(4),
        source: "webhook",
        type: "payment_succeeded",
        occurredAt: iso(start + (4 + (i % 3)) * DAY),
        identity: { email, accountId: `cus_rdemo_old_${i}` },
        properties: { provider: "stripe", amount: 7500, currency: "usd", description: "Moving deposit" },
      });
  }
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}
