import journey from "./journey-12-days.json" with { type: "json" };

/** A v1 API event as the demo feeds it to ingestion (same shape as POST /api/v1/events). */
export interface DemoEvent {
  id: string;
  source: "web" | "email" | "channel" | "agent" | "webhook" | "pixel" | "ads";
  type: string;
  occurredAt: string;
  identity: { deviceId?: string; email?: string; phone?: string; accountId?: string };
  channel?: string;
  direction?: "in" | "out";
  properties?: Record<string, unknown>;
  campaign?: Record<string, string>;
}

/** The product page's 12-day journey of Jo Rivera, exactly as shared/scenarios has it. */
export const journeyEvents = journey.events as DemoEvent[];

/** A small deterministic PRNG (mulberry32) so every demo install looks the same. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Ana",
  "Ben",
  "Carla",
  "Dev",
  "Elena",
  "Farid",
  "Grace",
  "Hugo",
  "Isla",
  "Jamal",
  "Kira",
  "Luis",
  "Maya",
  "Noah",
  "Olga",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
  "Umar",
  "Vera",
  "Wes",
  "Yara",
  "Zoe",
];
const LAST = [
  "Nguyen",
  "Garcia",
  "Smith",
  "Okafor",
  "Kowalski",
  "Haddad",
  "Kim",
  "Martin",
  "Rossi",
  "Silva",
  "Brown",
  "Patel",
];
const PAGES = ["/", "/pricing/", "/services/", "/services/long-distance/", "/about/", "/reviews/", "/quote/", "/faq/"];
const CAMPAIGNS: Record<string, string>[] = [
  { utm_source: "google", utm_medium: "cpc", utm_campaign: "movers-ventura", utm_content: "creative-7" },
  { utm_source: "google", utm_medium: "organic" },
  { utm_source: "facebook", utm_medium: "paid_social", utm_campaign: "fall-moves", utm_content: "video-2" },
  { utm_source: "yelp", utm_medium: "referral" },
  { utm_source: "newsletter", utm_medium: "email", utm_campaign: "november" },
];
const QUESTIONS = [
  "Do you do piano moving?",
  "Can you store furniture for a month?",
  "Is Saturday morning free?",
  "Do you pack boxes too?",
  "How much for a 2-bedroom across town?",
  "Do you move hot tubs?",
];
const AGENTS = [
  ["qualify", "qualified_lead"],
  ["booking", "offered_slots"],
  ["quote", "sent_quote"],
  ["follow_up", "reminder_sent"],
  ["faq", "answered_question"],
] as const;

/**
 * Synthetic people and events across all seven sources, relative to `now`, so every screen has real data:
 * anonymous visitors, returning devices, leads who gave an email or phone, paying customers, ad clicks,
 * tracked links, conversations and agents. Each person climbs the ladder as far as their story goes.
 */
export function syntheticEvents(now: Date, people = 60): DemoEvent[] {
  const rand = prng(1247);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const events: DemoEvent[] = [];
  const day = 24 * 3600_000;
  for (let p = 0; p < people; p++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const device = `d_demo_${p}`;
    const email = `${first}.${last}${p}@example.com`.toLowerCase();
    const phone = `+1805555${String(1000 + p).padStart(4, "0")}`;
    const account = `cus_demo_${p}`;
    const stage = rand(); // how far this person climbs
    let t = now.getTime() - Math.floor(rand() * 28 * day) - 3 * day;
    const at = (minutes: number) => {
      t += minutes * 60_000;
      return new Date(Math.min(t, now.getTime() - 60_000)).toISOString();
    };
    const id = (n: number) => `demo_${p}_${n}`;
    let n = 0;
    const campaign = rand() < 0.7 ? pick(CAMPAIGNS) : undefined;
    if (campaign?.utm_medium === "cpc") {
      events.push({
        id: id(n++),
        source: "ads",
        type: "ad_click",
        occurredAt: at(0),
        identity: { deviceId: device },
        properties: { network: "google_ads" },
        campaign: { ...campaign, gclid: `Cj0KCQdemo${p}` },
      });
    }
    const landing = pick(PAGES);
    const query = campaign ? `?${new URLSearchParams(campaign).toString()}` : "";
    events.push({
      id: id(n++),
      source: "web",
      type: "page_view",
      occurredAt: at(0),
      identity: { deviceId: device },
      properties: {
        url: `https://acmemovers.test${landing}${query}`,
        title: "Acme Movers",
        referrer: campaign ? "https://www.google.com/" : undefined,
      },
      ...(campaign ? { campaign } : {}),
    });
    events.push({
      id: id(n++),
      source: "web",
      type: "scroll",
      occurredAt: at(1),
      identity: { deviceId: device },
      properties: { url: `https://acmemovers.test${landing}`, depth: pick([25, 50, 75, 100]) },
    });
    if (stage > 0.25) {
      events.push({
        id: id(n++),
        source: "web",
        type: "page_view",
        occurredAt: at(60 * 20 + Math.floor(rand() * 600)),
        identity: { deviceId: device },
        properties: {
          url: "https://acmemovers.test/pricing/",
          title: "Pricing",
          engagedSeconds: 30 + Math.floor(rand() * 200),
        },
      });
    }
    if (stage > 0.45) {
      events.push({
        id: id(n++),
        source: "web",
        type: "form_submit",
        occurredAt: at(30),
        identity: { deviceId: device, email },
        properties: { form: "quote", url: "https://acmemovers.test/quote/", name: `${first} ${last}` },
      });
      const [agent, action] = pick(AGENTS);
      events.push({
        id: id(n++),
        source: "agent",
        type: "agent_action",
        occurredAt: at(1),
        identity: { email },
        properties: { agent, action },
      });
      events.push({
        id: id(n++),
        source: "email",
        type: "email_sent",
        occurredAt: at(2),
        identity: { email },
        channel: "email",
        properties: { kind: "quote", subject: "Your moving quote" },
      });
      if (rand() < 0.8) {
        events.push({
          id: id(n++),
          source: "email",
          type: "email_opened",
          occurredAt: at(20 + Math.floor(rand() * 300)),
          identity: { email },
          channel: "email",
          properties: { kind: "quote" },
        });
      }
    }
    if (stage > 0.6) {
      events.push({
        id: id(n++),
        source: "pixel",
        type: "link_clicked",
        occurredAt: at(200),
        channel: "sms",
        identity: { email, phone, deviceId: `${device}_phone` },
        properties: { link: "reminder", target: "https://acmemovers.test/book/" },
      });
      const channel = rand() < 0.6 ? "whatsapp" : "sms";
      events.push({
        id: id(n++),
        source: "channel",
        type: "message_in",
        occurredAt: at(60 * 12),
        identity: { phone },
        channel,
        direction: "in",
        properties: { body: pick(QUESTIONS) },
      });
      events.push({
        id: id(n++),
        source: "channel",
        type: "message_out",
        occurredAt: at(2),
        identity: { phone },
        channel,
        direction: "out",
        properties: { body: "Thanks! Let me check the calendar for you.", agent: "booking" },
      });
      events.push({
        id: id(n++),
        source: "agent",
        type: "agent_action",
        occurredAt: at(1),
        identity: { phone },
        channel,
        properties: { agent: "booking", action: "offered_slots", slots: 3 },
      });
    }
    if (stage > 0.78) {
      events.push({
        id: id(n++),
        source: "webhook",
        type: "payment_succeeded",
        occurredAt: at(30),
        identity: { email, accountId: account },
        properties: {
          provider: "stripe",
          amount: pick([5000, 7500, 10000]),
          currency: "usd",
          description: "Moving deposit",
        },
      });
      events.push({
        id: id(n++),
        source: "agent",
        type: "agent_action",
        occurredAt: at(1),
        identity: { accountId: account },
        properties: { agent: "onboarding", action: "calendar_invite_sent" },
      });
      if (campaign?.gclid || campaign?.utm_medium === "cpc") {
        events.push({
          id: id(n++),
          source: "ads",
          type: "conversion_sent",
          occurredAt: at(5),
          identity: { accountId: account },
          properties: { destination: "google_ads", value: 50 },
        });
      }
      events.push({
        id: id(n++),
        source: "webhook",
        type: "booking_created",
        occurredAt: at(10),
        identity: { accountId: account },
        properties: { provider: "scheduler", slot: "Saturday 9:00" },
      });
    }
    if (stage > 0.92) {
      events.push({
        id: id(n++),
        source: "webhook",
        type: "payment_refunded",
        occurredAt: at(60 * 24 * 2),
        identity: { accountId: account },
        properties: { provider: "stripe", amount: 5000, currency: "usd", reason: "Moved the date to next month" },
      });
    }
  }
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}
