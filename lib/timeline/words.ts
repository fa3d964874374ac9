/**
 * Small wording helpers shared by the one-line summary (summarize-event.ts) and the journey's plain-words
 * description (describe-event.ts): codes the chatbot and integrations send, said the way an owner says them.
 */

/** A non-empty trimmed string (numbers as their digits), or null. */
export function text(v: unknown): string | null {
  if (typeof v === "string") return v.trim() || null;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

export function num(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const SPECIAL: Record<string, string> = {
  faq: "FAQ",
  sms: "SMS",
  crm: "CRM",
  ai: "AI",
  vip: "VIP",
  utm: "UTM",
  url: "URL",
  whatsapp: "WhatsApp",
  capi: "CAPI",
};

/** `pre_job_briefing` → `pre-job briefing`, `follow_up` → `follow-up`, `faq` → `FAQ`. */
export function words(code: string): string {
  return code
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(
      /(^|[_\s])(pre|post|re|co|non|follow|check|sign|log|opt)[_-](job|up|in|out|booking|sale|visit|move)(?=$|[_\s])/g,
      "$1$2-$3",
    )
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => SPECIAL[w] ?? w)
    .join(" ");
}

/** An agent's name: `qualify` → `Qualify agent`, `follow_up` → `Follow-up agent`, `booking_agent` → `Booking agent`. */
export function agentName(code: string): string {
  const w = words(code).replace(/\s+(agent|assistant|bot)$/i, "");
  return `${capitalize(w)} agent`;
}

const ACTIONS: Record<string, string> = {
  qualified_lead: "qualified the lead",
  lead_qualified: "qualified the lead",
  disqualified_lead: "ruled the lead out",
  offered_slots: "offered time slots",
  sent_quote: "sent a quote",
  quote_sent: "sent a quote",
  reminder_sent: "sent a reminder",
  answered_question: "answered a question",
  calendar_invite_sent: "sent a calendar invite",
  review_requested: "asked for a review",
  booked: "took a booking",
  booking_created: "took a booking",
  booking_taken: "took a booking",
  refund_handled: "handled a refund",
  refund_issued: "issued a refund",
  escalated: "handed over to a person",
  handed_off: "handed over to a person",
  summary_sent: "sent the weekly summary",
};

const VERB_FIRST =
  /^(sent|asked|offered|answered|qualified|booked|scheduled|cancelled|canceled|confirmed|created|handled|issued|requested|updated|opened|closed|added|removed|followed|tagged|called|replied|escalated|collected|captured|logged|took|gave|made|shared|marked|started|finished|triggered)$/;

/**
 * What an agent did, in words: known codes from a dictionary (`qualified_lead` → `qualified the lead`),
 * others by moving a trailing past tense to the front (`invoice_sent` → `sent the invoice`), else as words.
 * `slots` (a count) makes "offered 3 slots".
 */
export function actionWords(code: string, p: Record<string, unknown> = {}): string {
  const key = code.toLowerCase();
  const slots = num(p.slots);
  if (key === "offered_slots" && slots) return `offered ${slots} ${slots === 1 ? "slot" : "slots"}`;
  const known = ACTIONS[key];
  if (known) return known;
  const parts = words(code).split(" ");
  const last = parts.at(-1) ?? "";
  if (parts.length > 1 && VERB_FIRST.test(parts[0] ?? "")) return `${parts[0]} the ${parts.slice(1).join(" ")}`;
  if (parts.length > 1 && VERB_FIRST.test(last)) return `${last} the ${parts.slice(0, -1).join(" ")}`;
  return parts.join(" ");
}

/** `2m 18s`, `45s`, `1h 05m`: an engaged time or a call's length. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h}h ${String(m).padStart(2, "0")}m`;
  return r ? `${m}m ${String(r).padStart(2, "0")}s`.replace(/ 0(\d)s$/, " $1s") : `${m}m`;
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
  const n = num(amount);
  if (n === null) return null;
  const code = (text(currency) ?? "usd").toUpperCase().slice(0, 10);
  const fmt = moneyFormat(code);
  return fmt ? fmt.f.format(n / 10 ** fmt.digits) : `${(n / 100).toFixed(2)} ${code}`;
}

export const CHANNEL_NAMES: Record<string, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  telegram: "Telegram",
  voice: "Voice",
  webchat: "Web chat",
  email: "Email",
  web: "Web",
};

export const channelName = (c: string | null | undefined) => (c ? (CHANNEL_NAMES[c] ?? capitalize(words(c))) : null);

/** The path of a URL (`/pricing/`), or the text as given when it is no URL. */
export function pathOf(url: unknown): string | null {
  const u = text(url);
  if (!u) return null;
  try {
    return new URL(u, "http://relative.invalid").pathname;
  } catch {
    return u;
  }
}

/** The host of an absolute URL without `www.`, or null. */
export function hostOf(url: unknown): string | null {
  const u = text(url);
  if (!u || !/^https?:\/\//i.test(u)) return null;
  try {
    return new URL(u).hostname.replace(/^www\./, "");
  } catch {
    return null;
  }
}

/** One line, at most `n` characters, an ellipsis where it was cut. */
export function clip(s: string, n: number) {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > n ? `${flat.slice(0, n - 1).trimEnd()}…` : flat;
}
