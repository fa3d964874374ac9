/**
 * The nudge rules a business can switch on (decision 020). Each fires at most once per rule, person and
 * occurrence; the database enforces it (`Nudge_workspaceId_profileId_kind_occurrence_key`).
 *
 * - `pricing_return`: an identified person (rung ≥ 2: someone the owner can reach) views the pricing path
 *   again, on another visit (another view of it at least 30 minutes apart). Once per person. Evaluated as the
 *   events arrive (lib/nudges/nudge-on-ingest.ts).
 * - `quote_no_reply`: an email (a quote) opened, and no reply from the person within 48 hours of the first
 *   opening. Once per email (its send or provider id). Evaluated by the `nudges` job.
 * - `missed_call`: a missed call, and no call, message or email to that person within 2 hours. Once per
 *   missed call. Evaluated by the `nudges` job.
 */
export const RULES = ["pricing_return", "quote_no_reply", "missed_call"] as const;
export type Rule = (typeof RULES)[number];

export const RULE_LABELS: Record<Rule, { title: string; description: string; action: string }> = {
  pricing_return: {
    title: "Customer returns to pricing",
    description:
      "An identified person views your pricing page again on a later visit: time for the multi-channel upgrade nudge.",
    action: "Offer the upgrade on the channel they use",
  },
  quote_no_reply: {
    title: "Quote opened, no reply in 48 h",
    description: "They opened your email (a quote) but haven't answered within 48 hours.",
    action: "Follow up on the quote",
  },
  missed_call: {
    title: "Missed call not returned in 2 h",
    description: "A call was missed and nobody called, texted or emailed them back within 2 hours.",
    action: "Call them back",
  },
};

/** How long a time-based rule waits for the answer. */
export const RULE_DELAY_MS: Record<"quote_no_reply" | "missed_call", number> = {
  quote_no_reply: 48 * 3_600_000,
  missed_call: 2 * 3_600_000,
};

/** Two views of the pricing path count as two visits when this far apart. */
export const RETURN_GAP_MS = 30 * 60_000;

/** The owner's path as stored: starts with "/", no query, no trailing slash, lower case ("/" stays "/"). */
export function normalizePath(raw: string): string | null {
  let p = raw.trim();
  if (!p) return null;
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) p = new URL(p).pathname;
  } catch {
    return null;
  }
  p = p.split(/[?#]/)[0] ?? "";
  if (!p.startsWith("/")) p = `/${p}`;
  p = p.replace(/\/+$/, "").toLowerCase();
  if (!p) return "/";
  if (!/^\/[a-z0-9\-._~%/]*$/.test(p) || p.includes("//")) return null;
  return p;
}

/** The path of a page view's URL (absolute or relative), lower case, without a trailing slash. */
export function pathOf(url: unknown): string | null {
  if (typeof url !== "string" || !url) return null;
  try {
    const p = new URL(url, "http://relative.invalid").pathname.replace(/\/+$/, "").toLowerCase();
    return p || "/";
  } catch {
    return null;
  }
}

/** True when `path` is the rule's path or a page under it ("/pricing", "/pricing/", "/pricing/teams"). */
export function underPath(path: string | null, rulePath: string): boolean {
  if (path === null) return false;
  if (rulePath === "/") return true;
  return path === rulePath || path.startsWith(`${rulePath}/`);
}

/** The same test in SQL on an event's stored URL (`properties->>'url'`), for `$n` holding the rule's path. */
export function underPathSql(urlExpr: string, param: string): string {
  const path = `rtrim(lower(substring(${urlExpr} from '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)?([^?#]*)')), '/')`;
  return `(${param} = '/' OR ${path} = ${param} OR ${path} LIKE replace(replace(${param}, '_', '\\_'), '%', '\\%') || '/%')`;
}
