const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
const int = (v: unknown) => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
};

/** `agent_action` words: "qualified_lead" → "qualified lead". */
const words = (s: string) => s.replace(/[_-]+/g, " ").trim();
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** 138 → "2m 18s", 42 → "42s", 3700 → "1h 1m". */
export function formatDuration(seconds: number) {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60 ? ` ${seconds % 60}s` : ""}`;
  const m = Math.floor((seconds % 3600) / 60);
  return `${Math.floor(seconds / 3600)}h${m ? ` ${m}m` : ""}`;
}

export function durationOf(p: Record<string, unknown>) {
  return int(p.durationSeconds) ?? int(p.duration) ?? int(p.CallDuration);
}

const CALL_STATUS: Record<string, string> = {
  busy: "line busy",
  "no-answer": "no answer",
  failed: "failed",
  canceled: "hung up before an answer",
};

/**
 * A turn or status in plain words, for what is not a message's own text: "Missed call (no answer)",
 * "Booking agent: offered slots", "Pre job briefing email", "Opened the quote email".
 */
export function describeTurn(e: {
  source: string;
  type: string;
  channel: string | null;
  properties: Record<string, unknown>;
}): string {
  const p = e.properties;
  const duration = durationOf(p);
  const kind = str(p.kind) ? words(str(p.kind)!) : null;
  const email = str(p.subject) ? `“${str(p.subject)}”` : kind ? `the ${kind} email` : "an email";
  switch (e.type) {
    case "message_in":
    case "message_out": {
      const media = Array.isArray(p.media) ? p.media.length : 0;
      return media ? `${media === 1 ? "A photo or file" : `${media} photos or files`}` : "A message without text";
    }
    case "call_in":
      return `Answered call${duration ? ` · ${formatDuration(duration)}` : ""}`;
    case "call_out":
      return `Outgoing call${duration ? ` · ${formatDuration(duration)}` : ""}`;
    case "call_missed": {
      const why = CALL_STATUS[str(p.status) ?? ""];
      return `Missed call${why ? ` (${why})` : ""}`;
    }
    case "voicemail":
      return `Voicemail${duration ? ` · ${formatDuration(duration)}` : ""}`;
    case "agent_action": {
      const agent = str(p.agent);
      const action = str(p.action);
      const who = agent ? `${capital(words(agent))} agent` : "Agent";
      return action ? `${who}: ${words(action)}` : who;
    }
    case "email_sent":
      return str(p.subject) ?? (kind ? `${capital(kind)} email` : "Email");
    case "email_replied":
    case "email_received":
      return str(p.subject) ? `Reply: ${str(p.subject)}` : "Email reply";
    case "email_delivered":
      return `Delivered ${email}`;
    case "email_opened":
      return `Opened ${email}`;
    case "email_clicked": {
      const link = str(p.clicked) ?? str(p.link);
      return `Clicked ${link ? `“${link}” in ` : "a link in "}${email}`;
    }
    case "email_bounced":
      return `${capital(email)} bounced`;
    case "email_complained":
      return `Marked ${email} as spam`;
    case "message_status":
      return `Message ${str(p.status) ?? "status changed"}`;
    case "link_clicked":
      return `Tapped the ${str(p.link) ? words(str(p.link)!) : "tracked"} link`;
    default:
      return capital(words(e.type));
  }
}
