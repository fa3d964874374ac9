import type { RequestHeaders } from "../request-headers.ts";

/** Where consent is asked before any storage (PRIVACY.md P1): the EU, the rest of the EEA, the UK and Switzerland. */
export const CONSENT_COUNTRIES: ReadonlySet<string> = new Set([
  // EU
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
  // EEA, UK, Switzerland
  "IS",
  "LI",
  "NO",
  "GB",
  "UK",
  "CH",
]);

/** The visitor's country from the edge's header (Vercel, Cloudflare), or null when unknown. The IP is never read. */
export function countryOf(headers: RequestHeaders): string | null {
  const raw = (headers.get("x-vercel-ip-country") ?? headers.get("cf-ipcountry") ?? "").trim().toUpperCase();
  return /^[A-Z]{2}$/.test(raw) && raw !== "XX" && raw !== "T1" ? raw : null;
}

/** "required" for EU/EEA/UK/CH visitors, "not_required" elsewhere and when the country is unknown. */
export const consentFor = (country: string | null) =>
  country && CONSENT_COUNTRIES.has(country) ? ("required" as const) : ("not_required" as const);
