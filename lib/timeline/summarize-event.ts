/** What summarize needs of an event: its kind and its (already sanitised) properties. */
export interface SummaryInput {
  source: string;
  type: string;
  channel?: string | null;
  direction?: string | null;
  properties?: Record<string, unknown> | null;
  campaign?: Record<string, unknown> | null;
}

const CHANNEL_NAMES: Record<string, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  telegram: "Telegram",
  voice: "Voice",
  webchat: "Web chat",
  email: "Email",
  web: "Web",
};

const MAX = 160;

function text(v: unknown): string | null {
  if (typeof v === "string") return v.trim() || null;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

function clip(s: string, n: number) {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > n ? `${flat.slice(0, n - 1).trimEnd()}…` : flat;
}

function pathOf(url: unknown): string | null {
  const u = text(url);
  if (!u) return null;
  try {
    return new URL(u, "http://relative.invalid").pathname;
  } catch {
    return u;
  }
}

function humanize(s: string) {
  const t = s.replace(/_/g, " ");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

const formats = new Map<string, { f: Intl.NumberFormat; digits: number } | null>();

function moneyFormat(code: string) {
  if (!formats.has(code)) {
    try {
      const f = new Intl.NumberFormat("en-US", { style: "currency", currency: code });
      formats.set(code, { f, digits: f.resolvedOptions().maximumFractionDigits ?? 2 });
    } catch {
      formats.set(code, null);
    }
    if (formats.size > 500) formats.clear();
  }
  return formats.get(code) ?? null;
}

/** Minor units in a currency (`5000`, `usd`) as `$50.00`. */
export function formatMoney(amount: unknown, currency: unknown): string | null {
  const n = typeof amount === "number" ? amount : typeof amount === "string" ? Number(amount) : Number.NaN;
  if (!Number.isFinite(n)) return null;
  const code = (text(currency) ?? "usd").toUpperCase().slice(0, 10);
  const fmt = moneyFormat(code);
  return fmt ? fmt.f.format(n / 10 ** fmt.digits) : `${(n / 100).toFixed(2)} ${code}`;
}

function payment(verb: string, p: Record<string, unknown>) {
  const money = formatMoney(p.amount, p.currency);
  const what = text(p.description);
  const deposit = what && /deposit/i.test(what) ? "deposit" : what;
  return [verb, money, deposit].filter(Boolean).join(" ");
}

/**
 * A one-line summary of an event for timelines ("Viewed /pricing/", "WhatsApp message in: “Hi! Got your
 * quote…”", "Paid $50.00 deposit", "Qualify agent: qualified_lead"), computed once at ingest.
 */
export function summarizeEvent(e: SummaryInput): string {
  const p = e.properties ?? {};
  const channel = CHANNEL_NAMES[e.channel ?? ""] ?? (e.channel ? humanize(e.channel) : null);
  const page = pathOf(p.url ?? p.page);
  const s = ((): string => {
    switch (e.type) {
      case "page_view":
        return `Viewed ${page ?? text(p.title) ?? "a page"}`;
      case "click": {
        const label = text(p.text) ?? text(p.label) ?? pathOf(p.href);
        return label ? `Clicked “${clip(label, 60)}”` : "Clicked";
      }
      case "scroll":
        return `Scrolled ${text(p.depth) ?? "?"}%${page ? ` of ${page}` : ""}`;
      case "engagement":
        return `Spent ${text(p.seconds) ?? "?"} s${page ? ` on ${page}` : ""}`;
      case "form_submit":
        return `Submitted the ${text(p.form) ?? "a"} form${page ? ` on ${page}` : ""}`.replace("the a form", "a form");
      case "identify":
        return "Identified themselves";
      case "link_click":
        return `Opened a tracked link${page ? ` to ${page}` : ""}`;
      case "message_in":
      case "message_out": {
        const dir = e.type === "message_in" ? "in" : "out";
        const body = text(p.body) ?? text(p.text);
        // A send Twilio refused or never answered stays in the thread, marked so (POST /api/v1/messages).
        const failed =
          dir === "out" && p.status === "failed" ? ` — not sent${p.error ? `: ${clip(String(p.error), 60)}` : ""}` : "";
        return `${channel ?? "Message"} message ${dir}${body ? `: “${clip(body, 40)}”` : ""}${failed}`;
      }
      case "message_status":
        return `${channel ?? "Message"} message ${text(p.status) ?? "status changed"}`;
      case "call_in":
        return `Incoming ${channel === "Voice" || !channel ? "" : `${channel} `}call${p.duration ? ` (${text(p.duration)} s)` : ""}`;
      case "call_out":
        return `Outgoing call${p.duration ? ` (${text(p.duration)} s)` : ""}`;
      case "call_missed":
        return "Missed call";
      case "voicemail":
        return "Left a voicemail";
      case "email_sent":
      case "email_delivered":
      case "email_opened":
      case "email_clicked":
      case "email_replied":
      case "email_bounced":
      case "email_complained": {
        const kind = text(p.kind) ?? text(p.subject);
        // The text only where it is shown decrypted (timeline, export): at ingest it has left the properties.
        const body = kind ? null : (text(p.text) ?? text(p.body));
        return `Email ${e.type.slice(6)}${kind ? `: ${clip(kind, 60)}` : body ? `: “${clip(body, 40)}”` : ""}`;
      }
      case "unsubscribed":
        return "Unsubscribed";
      case "agent_action": {
        const agent = text(p.agent);
        const action = text(p.action) ?? "acted";
        return agent ? `${humanize(agent)} agent: ${action}` : `Agent: ${action}`;
      }
      case "payment_succeeded":
        return payment("Paid", p);
      case "payment_refunded":
        return payment("Refunded", p);
      case "checkout_completed":
        return payment("Completed checkout", p);
      case "booking_created":
        return `Booked${text(p.service) ? ` ${text(p.service)}` : ""}${text(p.startsAt) ? ` for ${text(p.startsAt)}` : ""}`;
      case "booking_cancelled":
        return "Cancelled a booking";
      case "account_created":
        return "Created an account";
      case "crm_updated":
        return `CRM updated${text(p.stage) ? `: ${text(p.stage)}` : ""}`;
      case "link_clicked":
        return `Clicked the ${text(p.link) ?? "tracked"} link`;
      case "ad_click": {
        const src = text(e.campaign?.utm_source) ?? text(p.network);
        return `Clicked an ad${src ? ` (${src})` : ""}`;
      }
      case "conversion_sent":
        return `Conversion sent${text(p.destination) ? ` to ${text(p.destination)}` : ""}`;
      default:
        return `${humanize(e.type)}${page ? ` on ${page}` : ""}`;
    }
  })();
  return clip(s.replace(/\s+/g, " "), MAX);
}
