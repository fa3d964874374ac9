/** "Nov 3" for a local calendar day `YYYY-MM-DD` (already in the workspace's zone). */
export function dayLabel(day: string, opts: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" }) {
  return new Intl.DateTimeFormat("en-US", { ...opts, timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

export const num = (n: number) => n.toLocaleString("en-US");
export const pct = (rate: number) => `${(rate * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;

/** A duration in hours as a person says it: "under a minute", "18 min", "2.5 h", "3.2 days". */
export function hoursLabel(hours: number | null) {
  if (hours === null) return "—";
  if (hours < 1 / 60) return "under a minute";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toLocaleString("en-US", { maximumFractionDigits: 1 })} h`;
  return `${(hours / 24).toLocaleString("en-US", { maximumFractionDigits: 1 })} days`;
}

export const SOURCE_COLORS: Record<string, string> = {
  web: "#0ea5e9",
  email: "#6366f1",
  channel: "#10b981",
  agent: "#f59e0b",
  webhook: "#8b5cf6",
  pixel: "#ec4899",
  ads: "#f97316",
};

export const RUNG_COLORS = ["#94a3b8", "#38bdf8", "#6366f1", "#8b5cf6", "#10b981"];
