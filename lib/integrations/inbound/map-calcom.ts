import { z } from "zod";
import type { IngestEventInput } from "../../ingest/schemas.ts";
import type { MappedDelivery } from "../types.ts";

const text = z.string().max(2000);
/** A form answer of Cal.com: a value, or `{label, value}`. */
const answer = z.union([text, z.object({ value: z.unknown() }).loose()]).optional();

/** The part of Cal.com's webhook body (`triggerEvent`, `createdAt`, `payload`) that we read. */
export const calcomBody = z.object({
  triggerEvent: z.string().max(100),
  createdAt: text.optional(),
  payload: z
    .object({
      uid: text.optional(),
      type: text.optional(),
      eventTitle: text.nullish(),
      startTime: text.optional(),
      endTime: text.optional(),
      status: text.optional(),
      cancellationReason: text.nullish(),
      attendees: z
        .array(z.object({ email: text.nullish(), phoneNumber: text.nullish(), timeZone: text.nullish() }).loose())
        .max(100)
        .optional(),
      responses: z.object({ email: answer, attendeePhoneNumber: answer }).loose().optional(),
    })
    .loose()
    .optional(),
});

const MAPPED: Record<string, string> = { BOOKING_CREATED: "booking_created", BOOKING_CANCELLED: "booking_cancelled" };

const value = (a: unknown) =>
  typeof a === "string" ? a : a && typeof a === "object" ? (a as { value?: unknown }).value : null;
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : undefined);

export function calcomDeliveryId(body: z.output<typeof calcomBody>): string | null {
  return body.payload?.uid ? `${body.triggerEvent}:${body.payload.uid}` : null;
}

/**
 * BOOKING_CREATED → webhook/booking_created (rung 4 by its type, R10), BOOKING_CANCELLED → booking_cancelled,
 * on the first attendee (email, phone); other triggers (PING, MEETING_ENDED…) are kept and ignored.
 */
export function mapCalcom(body: z.output<typeof calcomBody>, eventIdPrefix: string): MappedDelivery {
  const type = MAPPED[body.triggerEvent];
  const summary = `Cal.com ${body.triggerEvent}`;
  if (!type) return { summary, events: [], ignored: true };
  const p = body.payload ?? {};
  const attendee = p.attendees?.[0];
  const event = {
    id: p.uid ? `calcom_${type}_${p.uid}`.slice(0, 128) : `${eventIdPrefix}_0`,
    source: "webhook",
    type,
    occurredAt: str(body.createdAt) ?? new Date().toISOString(),
    identity: {
      email: str(attendee?.email) ?? str(value(p.responses?.email)),
      phone: str(attendee?.phoneNumber) ?? str(value(p.responses?.attendeePhoneNumber)),
    },
    properties: {
      provider: "cal.com",
      bookingId: p.uid,
      service: p.eventTitle ?? p.type,
      startsAt: p.startTime,
      endsAt: p.endTime,
      status: p.status,
      ...(type === "booking_cancelled" && p.cancellationReason ? { reason: p.cancellationReason } : {}),
    },
  };
  return { summary, events: [event as IngestEventInput] };
}
