import { type Channel, CLICK_IDS, DIRECT, touchChannel } from "./touch-channel.ts";

const SOURCE_NAMES: Record<string, string> = {
  web: "Website",
  email: "Email",
  channel: "Messaging",
  agent: "Agent",
  webhook: "Webhook",
  pixel: "Tracked link",
  ads: "Ads",
};

/** What "(direct)" means, in the campaigns page's words. */
export const DIRECT_MEANING =
  "No campaign, click id or referrer: a typed address, a bookmark, or someone known only from a server-side source.";

export interface TouchDescription {
  /** The campaigns row this touch counts in: "google / cpc / spring", "example.org / referral", "(direct)". */
  label: string;
  channel: Channel;
  direct: boolean;
  /** Label and value pairs for a details list (empty values left out). */
  details: [string, string][];
}

/**
 * A first or last touch (R15) named exactly as the campaigns page names it (touch-channel.ts): a person
 * with no touch at all is "(direct)" there, so they are "(direct)" here too, never "none". `seenAt` stands
 * in for the touch's time when there is no touch (the campaigns range does the same).
 */
export function describeTouch(
  touch: unknown,
  opts: { seenAt?: Date | string | null; formatTime?: (at: string) => string } = {},
): TouchDescription {
  const t = (touch && typeof touch === "object" ? touch : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof t[k] === "string" && t[k] ? (t[k] as string) : undefined);
  const channel = touchChannel(t);
  const direct = channel.source === DIRECT;
  const label = direct
    ? DIRECT
    : [channel.source, channel.medium || "(none)", channel.campaign].filter(Boolean).join(" / ");
  const when = str("occurredAt") ?? (opts.seenAt ? new Date(opts.seenAt).toISOString() : undefined);
  const click = CLICK_IDS.find((c) => str(c.key));
  const via = str("source");
  const rows: [string, string | undefined][] = [
    ["When", when ? (opts.formatTime ? opts.formatTime(when) : when) : undefined],
    ["Source", channel.source],
    ["Medium", direct ? undefined : channel.medium || "(none)"],
    ["Campaign", channel.campaign || undefined],
    ["Creative", channel.content || undefined],
    ["Term", str("utm_term")],
    ["Click id", click ? `${click.key} ${str(click.key)}` : undefined],
    ["Referrer", str("referrer")],
    ["Via", via ? (SOURCE_NAMES[via] ?? via) : undefined],
  ];
  return {
    label,
    channel,
    direct,
    details: rows.filter((r): r is [string, string] => typeof r[1] === "string" && r[1] !== ""),
  };
}
