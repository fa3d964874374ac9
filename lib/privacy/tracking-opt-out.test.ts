import { expect, test } from "vitest";
import { createBlocklist } from "../identity/blocklist.ts";
import { prepareEvent } from "../ingest/prepare-events.ts";
import type { IngestEvent } from "../ingest/schemas.ts";
import { isTrackingEvent, strippedOfIdentity } from "./tracking-opt-out.ts";

const ctx = { hashSalt: "salt", defaultCountry: "US", blocklist: createBlocklist([], "US"), memo: new Map() };

test("decision 014: tracking is what only observes the person; their dealings with the business are not", () => {
  for (const [source, type] of [
    ["web", "page_view"],
    ["web", "form_submit"],
    ["pixel", "link_clicked"],
    ["ads", "ad_click"],
    ["email", "email_opened"],
  ] as const)
    expect(isTrackingEvent(source, type), `${source}/${type}`).toBe(true);
  for (const [source, type] of [
    ["channel", "message_in"],
    ["email", "email_replied"],
    ["email", "email_sent"],
    ["email", "unsubscribed"],
    ["webhook", "payment_succeeded"],
    ["agent", "agent_action"],
  ] as const)
    expect(isTrackingEvent(source, type), `${source}/${type}`).toBe(false);
});

test("decision 014: a stripped event keeps what counts it and nothing that points at the person", () => {
  const event = prepareEvent(
    {
      id: "e1",
      source: "web",
      type: "form_submit",
      occurredAt: new Date("2026-12-01T10:00:00Z"),
      identity: { deviceId: "d1", email: "jo@example.com", phone: "not a phone" },
      properties: { url: "https://acme.test/quote?utm_source=ads&ot_c=c1", name: "Jo Rivera", form: "quote" },
    } as IngestEvent,
    0,
    ctx,
  );
  expect(event.identifiers.length).toBeGreaterThan(0);
  const stripped = strippedOfIdentity(event);
  expect(stripped).toMatchObject({ clientId: "e1", source: "web", type: "form_submit", occurredAt: event.occurredAt });
  expect(stripped).toMatchObject({ identifiers: [], identityHashes: [], name: null, linkClickId: null, message: null });
  expect(stripped.properties.form).toBe("quote");
  expect(stripped.properties.url).toBe("/quote?utm_source=ads&ot_c=c1");
  expect(JSON.stringify(stripped)).not.toMatch(/contentEnc|unmatched_identity|Jo Rivera|jo@example\.com/);
});
