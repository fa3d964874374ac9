/** Times in the workspace's zone (API data is UTC). */
export function formatInZone(
  at: Date | string,
  timeZone: string,
  opts: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
) {
  return new Intl.DateTimeFormat("en-US", { ...opts, timeZone }).format(typeof at === "string" ? new Date(at) : at);
}

export const RUNG_LABELS = ["Device", "Returning device", "Email", "Phone", "Customer"] as const;

export const SOURCE_LABELS: Record<string, string> = {
  web: "Website",
  email: "Email",
  channel: "Messaging",
  agent: "Agent",
  webhook: "Webhook",
  pixel: "Tracked link",
  ads: "Ads",
};
