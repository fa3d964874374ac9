import { z } from "zod";
import { type IngestEventInput, LIMITS } from "../../ingest/schemas.ts";
import type { MappedDelivery } from "../types.ts";

/** OneThread's own shape, as for POST /api/v1/events; `test: true` marks the settings page's signed test. */
export const oneThreadBody = z.object({
  events: z.array(z.record(z.string(), z.unknown())).min(1).max(LIMITS.eventsPerRequest),
  test: z.literal(true).optional(),
});

/**
 * Each event defaults to source `webhook`, and an event without an `id` gets one derived from the delivery
 * (its index in the body): a retried delivery never stores an event twice. Validation is ingest's own.
 */
export function mapOneThread(body: z.output<typeof oneThreadBody>, eventIdPrefix: string): MappedDelivery {
  const events = body.events.map(
    (e, i) => ({ source: "webhook", ...e, id: e.id ?? `${eventIdPrefix}_${i}` }) as unknown as IngestEventInput,
  );
  if (body.test) return { summary: "Test delivery (verified, not stored)", events, ignored: true, test: true };
  return { summary: `OneThread events (${events.length})`, events };
}
