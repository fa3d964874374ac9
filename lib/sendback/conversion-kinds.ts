/** The networks a conversion goes back to (decision 021), as Outbox `destination`s and integration names. */
export const DESTINATIONS = ["meta", "google"] as const;
export type Destination = (typeof DESTINATIONS)[number];

/** What a conversion is, in Meta's standard event names (Google gets them all on the one conversion action). */
export type ConversionKind = "Purchase" | "Schedule" | "Lead";

export interface ConversionFacts {
  source: string;
  type: string;
  properties: Record<string, unknown>;
  /** The person's rung right before the event and right after it (R10, R11). */
  rungBefore: number;
  rung: number;
}

/**
 * Which conversion an event is, or null (decision 021):
 * - `payment_succeeded` → Purchase (once per payment: `checkout_completed` is the same payment, not sent);
 * - `booking_created` → Schedule;
 * - a qualified lead → Lead: an agent marking them so (`agent_action` with `properties.action` `qualified_lead`,
 *   or a custom `qualified_lead` event), or the event that first makes someone reachable (rung 0/1 → email
 *   or phone, rung 2 or 3: a quote form, a first message). A person is one lead (the outbox keys it by person).
 */
export function conversionKind(e: ConversionFacts): ConversionKind | null {
  if (e.type === "payment_succeeded") return "Purchase";
  if (e.type === "booking_created") return "Schedule";
  if (e.type === "qualified_lead" || (e.type === "agent_action" && e.properties.action === "qualified_lead"))
    return "Lead";
  if (e.rungBefore < 2 && (e.rung === 2 || e.rung === 3)) return "Lead";
  return null;
}

/** Digits after the decimal point of an ISO 4217 currency (JPY 0, USD 2, KWD 3); 2 for one Intl does not know. */
function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A conversion's value in major units and its upper-case currency, from minor units (API.md), or nulls. */
export function conversionValue(properties: Record<string, unknown>): {
  value: number | null;
  currency: string | null;
} {
  const amount = properties.amount;
  const raw = typeof properties.currency === "string" ? properties.currency.trim().toUpperCase() : "";
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0 || !/^[A-Z]{3}$/.test(raw))
    return { value: null, currency: null };
  return { value: amount / 10 ** fractionDigits(raw), currency: raw };
}
