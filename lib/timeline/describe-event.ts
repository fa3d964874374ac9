import {
  actionWords,
  agentName,
  capitalize,
  channelName,
  clip,
  formatDuration,
  formatMoney,
  hostOf,
  num,
  pathOf,
  text,
  words,
} from "./words.ts";

/** One detail of an event as the journey shows it: "Engaged" "2m 18s". */
export interface Fact {
  label: string;
  value: string;
}

/** Where an event sits in the replay's channel lanes. */
export type Lane =
  | "web"
  | "email"
  | "whatsapp"
  | "sms"
  | "voice"
  | "telegram"
  | "webchat"
  | "agent"
  | "payment"
  | "ads";

/** The kind of step, for the replay's icon and the ad → page → form → email → message → deposit story. */
export type Step =
  | "ad"
  | "page"
  | "form"
  | "email"
  | "message"
  | "call"
  | "agent"
  | "payment"
  | "booking"
  | "link"
  | "other";

export interface EventDescription {
  /** One sentence in plain words: "Paid a $50.00 deposit", "Qualify agent qualified the lead". */
  title: string;
  /** A message's or email's whole text, never cut. */
  text: string | null;
  facts: Fact[];
  lane: Lane;
  step: Step;
  /** A landing from a campaign or another site: the start of a visit worth its own line. */
  landing: boolean;
}

export interface DescribeInput {
  source: string;
  type: string;
  channel?: string | null;
  direction?: string | null;
  properties?: Record<string, unknown> | null;
  campaign?: Record<string, unknown> | null;
}

export const LANE_LABELS: Record<Lane, string> = {
  web: "Website",
  ads: "Ads",
  email: "Email",
  whatsapp: "WhatsApp",
  sms: "SMS",
  voice: "Voice",
  telegram: "Telegram",
  webchat: "Web chat",
  agent: "Agents",
  payment: "Payments",
};

const MESSAGE_LANES = new Set(["whatsapp", "sms", "voice", "telegram", "webchat", "email"]);

/** Keys that never show as a fact: sealed or already said in the title or text. */
const HIDDEN = new Set(["contentEnc", "html", "body", "text", "snippet"]);

/** Labels for property names that say nothing to an owner as they are. */
const FACT_LABELS: Record<string, string> = {
  ot_c: "Tracked click id",
  code: "Link code",
  clickId: "Click id",
  deviceId: "Device",
};

const SEARCH_HOSTS = /(^|\.)(google|bing|duckduckgo|yahoo|ecosia|baidu|yandex)\./;
const PAID = /^(cpc|ppc|paid|paid_?social|paidsearch|display|cpm|ads?)$/i;
const CLICK_IDS: [string, string][] = [
  ["gclid", "Google Ads click id"],
  ["gbraid", "Google Ads click id"],
  ["wbraid", "Google Ads click id"],
  ["fbclid", "Meta click id"],
  ["msclkid", "Microsoft Ads click id"],
  ["ttclid", "TikTok click id"],
  ["li_fat_id", "LinkedIn click id"],
];

const brand = (s: string) => {
  const w = words(s);
  return w === "google ads" ? "Google Ads" : w.split(" ").map(capitalize).join(" ");
};

/** "a Google search", "a Facebook ad", "Yelp", "google.com" — where a landing came from. */
function arrivalFrom(campaign: Record<string, unknown>, referrer: unknown): string | null {
  const src = text(campaign.utm_source);
  const medium = text(campaign.utm_medium) ?? "";
  if (src) {
    const name = brand(src);
    if (/^(organic|search|seo)$/i.test(medium)) return `a ${name} search`;
    if (PAID.test(medium)) return `a ${name} ad`;
    if (/^(email|newsletter)$/i.test(medium)) return `the ${name} email`;
    return name;
  }
  const host = hostOf(referrer);
  if (!host) return null;
  const search = SEARCH_HOSTS.exec(`.${host}`);
  if (search?.[2]) return `a ${capitalize(search[2])} search`;
  return host;
}

/** The facts a touch carries: search terms, campaign, creative, source / medium, click id. */
function campaignFacts(c: Record<string, unknown>, facts: Fact[]) {
  const add = (label: string, v: unknown) => {
    const s = text(v);
    if (s) facts.push({ label, value: clip(s, 200) });
  };
  add("Search terms", c.utm_term);
  add("Campaign", c.utm_campaign);
  add("Creative", c.utm_content);
  const src = text(c.utm_source);
  if (src) facts.push({ label: "Source", value: [src, text(c.utm_medium)].filter(Boolean).join(" / ") });
  for (const [key, label] of CLICK_IDS) if (text(c[key])) facts.push({ label, value: clip(text(c[key]) ?? "", 60) });
}

/** "the quote email", "the “Your moving quote” email", "an email". */
function emailName(p: Record<string, unknown>, article: "the" | "an") {
  const kind = text(p.kind);
  if (kind) return `the ${words(kind)} email`;
  const subject = text(p.subject);
  if (subject) return `the email “${clip(subject, 80)}”`;
  return article === "the" ? "the email" : "an email";
}

/**
 * An event in plain words for the owner's journey and replay: a title ("Viewed /pricing/"), the whole text
 * of a message or email, and its details as facts (engaged time "2m 18s", scroll "100%", hovered item,
 * amounts "$50.00", agent and outcome in words). Properties it does not name otherwise still show as facts,
 * so nothing the event carried is hidden.
 */
export function describeEvent(e: DescribeInput): EventDescription {
  const p = e.properties ?? {};
  const c = e.campaign ?? {};
  const facts: Fact[] = [];
  const used = new Set<string>();
  const take = (key: string) => {
    used.add(key);
    return p[key];
  };
  const fact = (label: string, value: string | null | undefined) => {
    if (value) facts.push({ label, value });
  };
  const channel = channelName(e.channel);
  const page = pathOf(take("url") ?? take("page"));
  let textOut: string | null = null;
  let lane: Lane = "web";
  let step: Step = "other";
  let landing = false;

  const webFacts = () => {
    fact("Page title", text(take("title")));
    const seconds = num(take("engagedSeconds")) ?? num(take("seconds"));
    if (seconds !== null) fact("Engaged", formatDuration(seconds));
    const depth = num(take("scrollDepth")) ?? num(take("depth"));
    if (depth !== null) fact("Scrolled", `${Math.round(depth)}%`);
    const hovered = text(take("hovered"));
    if (hovered) fact("Hovered", `“${clip(hovered, 80)}”`);
    const ref = text(take("referrer"));
    if (ref) fact("Referrer", hostOf(ref) ?? clip(ref, 120));
  };

  const title = ((): string => {
    switch (e.source) {
      case "web": {
        lane = "web";
        step = "page";
        switch (e.type) {
          case "page_view": {
            const from = arrivalFrom(c, p.referrer);
            webFacts();
            campaignFacts(c, facts);
            landing = from !== null;
            return from ? `Landed on ${page ?? "the site"} from ${from}` : `Viewed ${page ?? "a page"}`;
          }
          case "click": {
            const label = text(take("text")) ?? text(take("label")) ?? pathOf(take("href"));
            webFacts();
            return label ? `Clicked “${clip(label, 60)}”${page ? ` on ${page}` : ""}` : "Clicked";
          }
          case "scroll": {
            const depth = num(take("depth")) ?? num(take("scrollDepth"));
            webFacts();
            return `Scrolled ${depth !== null ? `${Math.round(depth)}%` : "down"}${page ? ` of ${page}` : ""}`;
          }
          case "engagement": {
            const seconds = num(take("seconds")) ?? num(take("engagedSeconds"));
            webFacts();
            return `Spent ${seconds !== null ? formatDuration(seconds) : "a while"}${page ? ` on ${page}` : ""}`;
          }
          case "form_submit": {
            step = "form";
            const form = text(take("form"));
            webFacts();
            return `Submitted ${form ? `the ${words(form)} form` : "a form"}${page ? ` on ${page}` : ""}`;
          }
          case "identify":
            return "Identified themselves on the site";
          case "link_click":
            step = "link";
            webFacts();
            return `Arrived through a tracked link${page ? ` on ${page}` : ""}`;
          default:
            webFacts();
            return `${capitalize(words(e.type))}${page ? ` on ${page}` : ""}`;
        }
      }
      case "email": {
        lane = "email";
        step = "email";
        textOut = text(p.text) ?? text(p.body) ?? text(p.snippet);
        const subject = text(take("subject"));
        const kind = text(take("kind"));
        if (kind && subject) fact("Subject", clip(subject, 200));
        const clicked = text(take("clicked")) ?? text(take("link"));
        if (clicked && e.type !== "email_clicked") fact("Clicked", `“${clip(clicked, 80)}”`);
        const it = emailName({ kind, subject }, "the");
        switch (e.type) {
          case "email_sent":
            return `Sent them ${kind || subject ? it : "an email"}`;
          case "email_delivered":
            return `${capitalize(it)} was delivered`;
          case "email_opened":
            return `Opened ${it}`;
          case "email_clicked":
            return `Clicked ${clicked ? `“${clip(clicked, 60)}”` : "a link"} in ${it}`;
          case "email_replied":
            return kind || subject ? `Replied to ${it}` : "Replied by email";
          case "email_bounced":
            return `${capitalize(it)} bounced`;
          case "email_complained":
            return `Marked ${it} as spam`;
          case "unsubscribed": {
            const purpose = text(take("purpose"));
            return `Unsubscribed from ${purpose ? `${words(purpose)} ` : ""}email`;
          }
          default:
            return `${capitalize(words(e.type))}${kind || subject ? `: ${it}` : ""}`;
        }
      }
      case "channel": {
        const ch = e.channel ?? "";
        lane = (MESSAGE_LANES.has(ch) ? ch : "webchat") as Lane;
        step = e.type.startsWith("call") || e.type === "voicemail" ? "call" : "message";
        const on = channel ? ` on ${channel}` : "";
        textOut = text(p.body) ?? text(p.text) ?? text(p.transcript);
        used.add("transcript");
        const agent = text(take("agent"));
        const status = text(take("status"));
        if (status && e.type !== "message_status") fact("Status", words(status));
        const seconds = num(take("duration")) ?? num(take("seconds"));
        if (seconds !== null) fact("Length", formatDuration(seconds));
        switch (e.type) {
          case "message_in":
            return `Messaged you${on}`;
          case "message_out":
            return agent ? `${agentName(agent)} replied${on}` : `You messaged them${on}`;
          case "message_status":
            return `${channel ? `${channel} message` : "Message"} ${status ? words(status) : "changed status"}`;
          case "call_in":
            return "Called you";
          case "call_out":
            return agent ? `${agentName(agent)} called them` : "You called them";
          case "call_missed":
            return "Called you — missed";
          case "voicemail":
            return "Left a voicemail";
          default:
            return `${capitalize(words(e.type))}${on}`;
        }
      }
      case "agent": {
        lane = "agent";
        step = "agent";
        const agent = text(take("agent"));
        const action = text(take("action"));
        const slots = num(take("slots"));
        const questions = num(take("questions"));
        if (questions !== null) fact("Asked", `${questions} ${questions === 1 ? "question" : "questions"}`);
        if (slots !== null && action !== "offered_slots") fact("Slots offered", String(slots));
        const outcome = text(take("outcome"));
        if (outcome) fact("Outcome", capitalize(words(outcome)));
        if (channel) fact("In", `the ${channel} thread`);
        const did = action ? actionWords(action, { slots }) : e.type === "agent_action" ? "acted" : words(e.type);
        return `${agent ? agentName(agent) : "An agent"} ${did}`;
      }
      case "webhook": {
        lane = "payment";
        step = "payment";
        const money = formatMoney(take("amount"), take("currency"));
        used.add("currency");
        const description = text(take("description"));
        const provider = text(take("provider"));
        if (money) fact("Amount", money);
        if (description) fact("For", clip(description, 200));
        if (provider) fact("Via", brand(provider));
        const reason = text(take("reason"));
        if (reason) fact("Reason", clip(reason, 300));
        const deposit = description && /deposit/i.test(description);
        switch (e.type) {
          case "payment_succeeded":
            return money ? `Paid ${deposit ? `a ${money} deposit` : money}` : "Paid";
          case "payment_refunded":
            return money ? `Was refunded ${money}` : "Was refunded";
          case "checkout_completed":
            return money ? `Completed checkout: ${money}` : "Completed checkout";
          case "booking_created": {
            step = "booking";
            const when = text(take("slot")) ?? text(take("startsAt")) ?? text(take("start"));
            const service = text(take("service"));
            return `Booked${service ? ` ${clip(service, 60)}` : ""}${when ? ` for ${clip(when, 40)}` : ""}`;
          }
          case "booking_cancelled":
            step = "booking";
            return "Cancelled a booking";
          case "account_created":
            return "Created an account";
          case "crm_updated": {
            step = "other";
            const stage = text(take("stage"));
            return `CRM updated${stage ? `: ${words(stage)}` : ""}`;
          }
          default:
            return `${capitalize(words(e.type))}${provider ? ` (${brand(provider)})` : ""}`;
        }
      }
      case "pixel": {
        step = "link";
        lane =
          e.channel === "sms" || e.channel === "whatsapp"
            ? (e.channel as Lane)
            : e.channel === "email"
              ? "email"
              : "web";
        const link = text(take("link"));
        const target = pathOf(take("target"));
        if (target) fact("Went to", target);
        const where =
          channel && e.channel !== "web" ? ` in ${e.channel === "email" ? "an email" : `an ${channel}`}` : "";
        const verb = e.channel === "sms" || e.channel === "whatsapp" ? "Tapped" : "Clicked";
        if (e.type === "link_clicked") return `${verb} the ${link ? `${words(link)} ` : "tracked "}link${where}`;
        return `${capitalize(words(e.type))}${where}`;
      }
      case "ads": {
        lane = "ads";
        step = "ad";
        campaignFacts(c, facts);
        const network = text(take("network"));
        const src = text(c.utm_source) ?? (network ? network.replace(/_ads?$/, "") : null);
        switch (e.type) {
          case "ad_click":
            return `Clicked ${src ? `a ${brand(src)} ad` : "an ad"}`;
          case "conversion_sent": {
            // The send-back outbox's outcome (decision 021): sent, refused by the network, or not sent at all.
            const dest = text(take("destination"));
            const name = dest === "google" ? "Google Ads" : dest ? brand(dest) : "the ad network";
            const value = num(take("value"));
            const currency = text(take("currency"));
            if (value !== null) fact("Value", `${value}${currency ? ` ${currency}` : ""}`);
            const conversion = text(take("conversion"));
            if (conversion) fact("Conversion", conversion);
            const status = text(take("status"));
            const error = text(take("error"));
            take("eventId");
            if (status === "refused") return `${name} refused: ${error ?? "the conversion"}`;
            if (status === "not_sent") return `Not sent to ${name}${error ? `: ${error}` : ""}`;
            return `Sent to ${name} ✓`;
          }
          default:
            return `${capitalize(words(e.type))}${src ? ` (${brand(src)})` : ""}`;
        }
      }
      default:
        return `${capitalize(words(e.type))}${page ? ` on ${page}` : ""}`;
    }
  })();
  if (page && e.source !== "web") fact("Page", page);

  // Whatever else the event carried, in words: a campaign object as its facts, others as "key: value".
  for (const [key, value] of Object.entries(p)) {
    if (used.has(key) || HIDDEN.has(key) || value === null || value === undefined || value === "") continue;
    if (typeof value === "object" && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      if (Object.keys(o).some((k) => k.startsWith("utm_") || CLICK_IDS.some(([id]) => id === k))) {
        campaignFacts(o, facts);
        continue;
      }
    }
    const shown =
      typeof value === "string"
        ? value
        : typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : Array.isArray(value)
            ? value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ")
            : Object.entries(value as Record<string, unknown>)
                .map(([k, v]) => `${words(k)}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
                .join(" · ");
    facts.push({ label: FACT_LABELS[key] ?? capitalize(words(key)), value: clip(shown, 300) });
  }
  return { title: clip(title, 200), text: textOut, facts, lane, step, landing };
}
