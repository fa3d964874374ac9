import { actionWords, agentName, CHANNEL_NAMES, capitalize, clip, formatMoney, pathOf, text, words } from "./words.ts";

export { formatMoney } from "./words.ts";

/** What summarize needs of an event: its kind and its (already sanitised) properties. */
export interface SummaryInput {
  source: string;
  type: string;
  channel?: string | null;
  direction?: string | null;
  properties?: Record<string, unknown> | null;
  campaign?: Record<string, unknown> | null;
}

const MAX = 160;

function payment(verb: string, p: Record<string, unknown>) {
  const money = formatMoney(p.amount, p.currency);
  const what = text(p.description);
  const deposit = what && /deposit/i.test(what) ? "deposit" : what;
  return [verb, money, deposit].filter(Boolean).join(" ");
}

/**
 * A one-line summary of an event for timelines ("Viewed /pricing/", "WhatsApp message in: “Hi! Got your
 * quote…”", "Paid $50.00 deposit", "Qualify agent qualified the lead"), computed once at ingest.
 */
export function summarizeEvent(e: SummaryInput): string {
  const p = e.properties ?? {};
  const channel = CHANNEL_NAMES[e.channel ?? ""] ?? (e.channel ? capitalize(words(e.channel)) : null);
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
        return `${channel ?? "Message"} message ${dir}${body ? `: “${clip(body, 100)}”` : ""}${failed}`;
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
        const kind = text(p.kind) ? words(text(p.kind) ?? "") : text(p.subject);
        // The text only where it is shown decrypted (timeline, export): at ingest it has left the properties.
        const body = kind ? null : (text(p.text) ?? text(p.body));
        return `Email ${e.type.slice(6)}${kind ? `: ${clip(kind, 60)}` : body ? `: “${clip(body, 40)}”` : ""}`;
      }
      case "unsubscribed":
        return "Unsubscribed";
      case "agent_action": {
        const agent = text(p.agent);
        const action = text(p.action) ?? "acted";
        const did = actionWords(action, p);
        return agent ? `${agentName(agent)} ${did}` : `An agent ${did}`;
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
        return `CRM updated${text(p.stage) ? `: ${words(text(p.stage) ?? "")}` : ""}`;
      case "link_clicked":
        return `Clicked the ${text(p.link) ? words(text(p.link) ?? "") : "tracked"} link`;
      case "ad_click": {
        const src = text(e.campaign?.utm_source) ?? text(p.network);
        return `Clicked an ad${src ? ` (${src})` : ""}`;
      }
      case "conversion_sent": {
        const dest = text(p.destination);
        const name =
          dest === "google" ? "Google Ads" : dest === "meta" ? "Meta" : dest ? words(dest) : "the ad network";
        if (p.status === "refused") return `${name} refused: ${text(p.error) ?? "the conversion"}`;
        if (p.status === "not_sent") return `Not sent to ${name}${text(p.error) ? `: ${text(p.error)}` : ""}`;
        return `Sent to ${name} ✓`;
      }
      default:
        return `${capitalize(words(e.type))}${page ? ` on ${page}` : ""}`;
    }
  })();
  return clip(s.replace(/\s+/g, " "), MAX);
}
