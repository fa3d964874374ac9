import { z } from "zod";
import { CAMPAIGN_KEYS } from "../../identity/attribution.ts";
import type { IngestEventInput } from "../../ingest/schemas.ts";
import type { MappedDelivery } from "../types.ts";

const text = z.string().max(2000);

/** The part of Calendly's webhook body (`event`, `created_at`, `payload` = the invitee) that we read. */
export const calendlyBody = z.object({
  event: z.string().max(100),
  created_at: text.optional(),
  payload: z
    .object({
      uri: text.optional(),
      email: text.nullish(),
      text_reminder_number: text.nullish(),
      status: text.optional(),
      rescheduled: z.boolean().optional(),
      scheduled_event: z
        .object({ uri: text.optional(), name: text.nullish(), start_time: text.optional(), end_time: text.optional() })
        .loose()
        .optional(),
      tracking: z.record(z.string(), z.unknown()).optional(),
      cancellation: z.object({ reason: text.nullish() }).loose().nullish(),
    })
    .loose()
    .optional(),
});

const MAPPED: Record<string, string> = {
  "invitee.created": "booking_created",
  "invitee.canceled": "booking_cancelled",
};
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);

export function calendlyDeliveryId(body: z.output<typeof calendlyBody>): string | null {
  return body.payload?.uri ? `${body.event}:${body.payload.uri}` : null;
}

/**
 * invitee.created → webhook/booking_created (rung 4, R10), invitee.canceled → booking_cancelled, on the
 * invitee's email and SMS reminder number; the invitee's UTM tracking becomes the event's campaign (R15).
 */
export function mapCalendly(body: z.output<typeof calendlyBody>, eventIdPrefix: string): MappedDelivery {
  const type = MAPPED[body.event];
  const summary = `Calendly ${body.event}`;
  if (!type) return { summary, events: [], ignored: true };
  const p = body.payload ?? {};
  const invitee = p.uri?.split("/").at(-1);
  const tracking = p.tracking ?? {};
  const campaign = Object.fromEntries(
    CAMPAIGN_KEYS.flatMap((k) => (str(tracking[k]) ? [[k, tracking[k] as string]] : [])),
  );
  const event = {
    id: invitee ? `calendly_${type}_${invitee}`.slice(0, 128) : `${eventIdPrefix}_0`,
    source: "webhook",
    type,
    occurredAt: str(body.created_at) ?? new Date().toISOString(),
    identity: { email: str(p.email), phone: str(p.text_reminder_number) },
    properties: {
      provider: "calendly",
      bookingId: p.scheduled_event?.uri?.split("/").at(-1),
      service: p.scheduled_event?.name ?? undefined,
      startsAt: p.scheduled_event?.start_time,
      endsAt: p.scheduled_event?.end_time,
      ...(type === "booking_cancelled" && p.cancellation?.reason ? { reason: p.cancellation.reason } : {}),
      ...(p.rescheduled ? { rescheduled: true } : {}),
    },
    ...(Object.keys(campaign).length ? { campaign } : {}),
  };
  return { summary, events: [event as IngestEventInput] };
}
