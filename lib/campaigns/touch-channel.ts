import { hostOf } from "../privacy/redact-url.ts";

/**
 * Where a touch (R15, lib/identity/attribution.ts) came from, as the campaigns table groups it:
 * source / medium / campaign, plus the creative (utm_content).
 *
 * - UTM parameters win where present.
 * - An ad click id without UTM fills the gap: gclid, gbraid, wbraid → google / cpc; fbclid → facebook / paid;
 *   msclkid → bing / cpc; ttclid → tiktok / paid; li_fat_id → linkedin / paid.
 * - Otherwise an external referrer: its host (lower case, without `www.`, like PageCount.referrerHost) / referral.
 * - Nothing at all (or no touch): "(direct)" with no medium.
 *
 * `touchChannel` and `touchChannelSql` say the same thing, one for a single touch, one for GROUP BY in SQL;
 * tests/integration/campaigns.test.ts checks they agree.
 */
export interface Channel {
  source: string;
  medium: string;
  campaign: string;
  content: string;
}

export const DIRECT = "(direct)";

/** In order of precedence when a landing URL carries several. */
export const CLICK_IDS = [
  { key: "gclid", source: "google", medium: "cpc" },
  { key: "gbraid", source: "google", medium: "cpc" },
  { key: "wbraid", source: "google", medium: "cpc" },
  { key: "fbclid", source: "facebook", medium: "paid" },
  { key: "msclkid", source: "bing", medium: "cpc" },
  { key: "ttclid", source: "tiktok", medium: "paid" },
  { key: "li_fat_id", source: "linkedin", medium: "paid" },
] as const;

const str = (v: unknown) => (typeof v === "string" && v ? v : null);

export function touchChannel(touch: unknown): Channel {
  const t = (touch && typeof touch === "object" ? touch : {}) as Record<string, unknown>;
  const click = CLICK_IDS.find((c) => str(t[c.key]));
  const utmSource = str(t.utm_source);
  const host = hostOf(str(t.referrer));
  return {
    source: utmSource ?? click?.source ?? host ?? DIRECT,
    medium: str(t.utm_medium) ?? click?.medium ?? (!utmSource && host ? "referral" : ""),
    campaign: str(t.utm_campaign) ?? "",
    content: str(t.utm_content) ?? "",
  };
}

/**
 * A LATERAL subquery giving `source, medium, campaign, content` for the jsonb touch expression `touch`
 * (a column reference from a fixed list, never user input). Use as
 * `CROSS JOIN LATERAL (${touchChannelSql('p."firstTouch"')}) AS c`; Postgres inlines it into the query.
 */
export function touchChannelSql(touch: string) {
  const field = (k: string) => `NULLIF(${touch} ->> '${k}', '')`;
  const whenClick = (pick: "source" | "medium") =>
    `CASE ${CLICK_IDS.map((c) => `WHEN ${field(c.key)} IS NOT NULL THEN '${c[pick]}'`).join(" ")} END`;
  // The referrer's host like hostOf(): http(s) only, lower case, no port, no `www.`. String functions, not a
  // regex: at 100,000 profiles a regex here cost more than the rest of the query.
  const ref = `(${touch} ->> 'referrer')`;
  const bare = `lower(split_part(split_part(split_part(split_part(split_part(${ref}, '://', 2), '/', 1), '?', 1), '#', 1), ':', 1))`;
  const host = `NULLIF(CASE WHEN lower(left(${ref}, 7)) = 'http://' OR lower(left(${ref}, 8)) = 'https://'
    THEN substr(${bare}, CASE WHEN left(${bare}, 4) = 'www.' THEN 5 ELSE 1 END) END, '')`;
  return `SELECT
      COALESCE(${field("utm_source")}, ${whenClick("source")}, ${host}, '${DIRECT}') AS source,
      COALESCE(${field("utm_medium")}, ${whenClick("medium")},
        CASE WHEN ${field("utm_source")} IS NULL AND ${host} IS NOT NULL THEN 'referral' END, '') AS medium,
      COALESCE(${field("utm_campaign")}, '') AS campaign,
      COALESCE(${field("utm_content")}, '') AS content`;
}
