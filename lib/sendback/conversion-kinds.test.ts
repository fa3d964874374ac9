import { expect, test } from "vitest";
import { conversionKind, conversionValue } from "./conversion-kinds.ts";

const facts = (
  type: string,
  o: Partial<{ properties: Record<string, unknown>; rungBefore: number; rung: number }> = {},
) => ({
  source: "webhook",
  type,
  properties: o.properties ?? {},
  rungBefore: o.rungBefore ?? 4,
  rung: o.rung ?? 4,
});

test("payments, bookings and qualified leads are conversions; a checkout is the payment's twin", () => {
  expect(conversionKind(facts("payment_succeeded"))).toBe("Purchase");
  expect(conversionKind(facts("checkout_completed"))).toBeNull();
  expect(conversionKind(facts("booking_created"))).toBe("Schedule");
  expect(conversionKind(facts("agent_action", { properties: { action: "qualified_lead" } }))).toBe("Lead");
  expect(conversionKind(facts("agent_action", { properties: { action: "qualify" } }))).toBeNull();
  expect(conversionKind(facts("form_submit", { rungBefore: 0, rung: 2 }))).toBe("Lead");
  expect(conversionKind(facts("message_in", { rungBefore: 1, rung: 3 }))).toBe("Lead");
  expect(conversionKind(facts("message_in", { rungBefore: 2, rung: 3 }))).toBeNull();
  expect(conversionKind(facts("page_view", { rungBefore: 0, rung: 1 }))).toBeNull();
});

test("values in major units, by the currency's own decimals", () => {
  expect(conversionValue({ amount: 5000, currency: "usd" })).toEqual({ value: 50, currency: "USD" });
  expect(conversionValue({ amount: 1500, currency: "jpy" })).toEqual({ value: 1500, currency: "JPY" });
  expect(conversionValue({ amount: "5000", currency: "usd" })).toEqual({ value: null, currency: null });
  expect(conversionValue({})).toEqual({ value: null, currency: null });
});
