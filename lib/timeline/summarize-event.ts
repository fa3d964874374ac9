/** A one-line, human summary of an event for timelines (computed once, at ingest). */
export function summarizeEvent(e: {
  source: string;
  type: string;
  channel?: string | null;
  direction?: string | null;
  properties: Record<string, unknown>;
}): string {
  const p = e.properties;
  const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
  const path = () => {
    try {
      return new URL(str(p.url)).pathname;
    } catch {
      return str(p.url) || "a page";
    }
  };
  const quote = (v: unknown) => {
    const s = str(v).replace(/\s+/g, " ").trim();
    return s ? `“${s.length > 60 ? `${s.slice(0, 59)}…` : s}”` : "";
  };
  const channel = e.channel
    ? ({
        whatsapp: "WhatsApp",
        sms: "SMS",
        voice: "Call",
        telegram: "Telegram",
        webchat: "Chat",
        email: "Email",
        web: "Web",
      }[e.channel] ?? e.channel)
    : "";
  const money = () => {
    const amount = Number(p.amount);
    if (!Number.isFinite(amount)) return "";
    const currency = str(p.currency).toUpperCase() || "USD";
    try {
      return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount / 100);
    } catch {
      return `${(amount / 100).toFixed(2)} ${currency}`;
    }
  };
  switch (e.type) {
    case "page_view":
      return `Viewed ${path()}${p.title ? ` (${str(p.title)})` : ""}`;
    case "click":
      return `Clicked ${quote(p.text) || str(p.href) || "a link"}`;
    case "scroll":
      return `Scrolled ${str(p.depth)}% of ${path()}`;
    case "engagement":
      return `Spent ${str(p.seconds)}s on ${path()}`;
    case "form_submit":
      return `Submitted the ${str(p.form) || "a"} form`;
    case "identify":
      return "Identified themselves";
    case "link_click":
    case "link_clicked":
      return `Clicked a tracked link${e.channel ? ` in ${channel}` : ""}${p.link ? ` (${str(p.link)})` : ""}`;
    case "message_in":
      return `${channel || "Message"} message in: ${quote(p.body)}`.trim();
    case "message_out":
      return `${channel || "Message"} message out: ${quote(p.body)}`.trim();
    case "call_in":
    case "call_out":
      return `${e.type === "call_in" ? "Incoming" : "Outgoing"} call${p.duration ? ` (${str(p.duration)}s)` : ""}`;
    case "call_missed":
      return "Missed call";
    case "agent_action":
      return `${str(p.agent) ? `${str(p.agent)[0]?.toUpperCase()}${str(p.agent).slice(1)} agent` : "Agent"}: ${str(p.action).replace(/_/g, " ") || "acted"}`;
    case "payment_succeeded":
      return `Paid ${money() || "a payment"}${p.description ? ` (${str(p.description)})` : ""}`;
    case "payment_refunded":
      return `Refunded ${money()}`.trim();
    case "checkout_completed":
      return `Completed checkout ${money()}`.trim();
    case "booking_created":
      return `Booked${p.slot ? ` ${str(p.slot)}` : ""}`;
    case "booking_cancelled":
      return "Cancelled a booking";
    case "account_created":
      return "Created an account";
    case "ad_click":
      return `Clicked an ad${p.network ? ` (${str(p.network)})` : ""}`;
    case "conversion_sent":
      return `Conversion sent to ${str(p.destination) || "the ad network"}`;
    case "unsubscribed":
      return "Unsubscribed";
    default:
      if (e.type.startsWith("email_"))
        return `Email ${e.type.slice(6)}${p.kind ? `: ${str(p.kind).replace(/_/g, " ")}` : ""}${p.subject ? ` “${str(p.subject)}”` : ""}`;
      return `${e.source}: ${e.type.replace(/_/g, " ")}`;
  }
}
