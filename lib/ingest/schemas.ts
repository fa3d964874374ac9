import { z } from "zod";

/** The shapes of ingestion (API.md): the one source of request types. Every field is bounded. */
export const SOURCES = ["web", "email", "channel", "agent", "webhook", "pixel", "ads"] as const;
export const CHANNELS = ["web", "email", "whatsapp", "sms", "telegram", "voice", "webchat"] as const;
export const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const MAX_STRING = 2000;
export const MAX_PROPERTIES_BYTES = 8 * 1024;

const EARLIEST = Date.parse("2000-01-01T00:00:00Z");
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO-8601 string with a zone, or epoch milliseconds; not before 2000, not more than a day ahead. */
export const eventTime = z.union([z.string().max(40), z.number()]).transform((v, ctx) => {
  const ms = typeof v === "number" ? v : ISO.test(v) ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({
      code: "custom",
      message: "must be an ISO-8601 time with a zone (2026-11-04T09:12:00Z) or epoch milliseconds",
    });
    return z.NEVER;
  }
  if (ms < EARLIEST || ms > Date.now() + 24 * 3600_000) {
    ctx.addIssue({ code: "custom", message: "is out of range (before 2000 or more than a day in the future)" });
    return z.NEVER;
  }
  return new Date(ms);
});

function checkStrings(value: unknown, depth: number): string | null {
  if (typeof value === "string")
    return value.length > MAX_STRING ? `a string is longer than ${MAX_STRING} characters` : null;
  if (value === null || typeof value !== "object") return null;
  if (depth > 6) return "is nested too deeply (at most 6 levels)";
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    const problem = checkStrings(v, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** Free-form properties: a JSON object of at most 8 KiB whose strings are at most 2,000 characters. */
export const properties = z.record(z.string().max(128), z.unknown()).superRefine((value, ctx) => {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > MAX_PROPERTIES_BYTES)
    ctx.addIssue({ code: "custom", message: `is ${bytes} bytes; at most ${MAX_PROPERTIES_BYTES} are allowed` });
  const problem = checkStrings(value, 0);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const bounded = z.string().max(MAX_STRING);
export const campaign = z
  .object({
    utm_source: bounded,
    utm_medium: bounded,
    utm_campaign: bounded,
    utm_term: bounded,
    utm_content: bounded,
    gclid: bounded,
    gbraid: bounded,
    wbraid: bounded,
    fbclid: bounded,
    msclkid: bounded,
    ttclid: bounded,
    li_fat_id: bounded,
    referrer: bounded,
  })
  .partial()
  .strict();

const idValue = z.string().max(320);
export const identity = z
  .object({ deviceId: idValue, email: idValue, phone: idValue, accountId: idValue })
  .partial()
  .strict()
  .refine(
    (i) => Object.values(i).some((v) => v !== undefined),
    "needs at least one of deviceId, email, phone, accountId",
  );

export const apiEvent = z
  .object({
    id: z.string().min(1).max(128).optional(),
    source: z.enum(SOURCES, { error: `must be one of ${SOURCES.join(", ")}` }),
    type: z.string().regex(EVENT_NAME, "must be a lower-case name like message_in (letters, digits, underscores)"),
    occurredAt: eventTime,
    identity,
    channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(", ")}` }).optional(),
    direction: z.enum(["in", "out"]).optional(),
    properties: properties.optional(),
    campaign: campaign.optional(),
  })
  .strict();

export const apiBatch = z
  .object({ events: z.array(apiEvent).min(1, "must hold at least one event").max(500, "holds more than 500 events") })
  .strict();

export const collectEvent = z
  .object({
    id: z.string().min(1).max(128),
    type: z.string().regex(EVENT_NAME, "must be a lower-case name like page_view"),
    ts: eventTime,
    url: z.string().max(MAX_STRING).optional(),
    referrer: z.string().max(MAX_STRING).optional(),
    title: z.string().max(MAX_STRING).optional(),
    props: properties.optional(),
  })
  .strict();

export const collectBatch = z
  .object({
    site: z.string().max(200),
    deviceId: z.string().min(1).max(128).optional(),
    events: z.array(collectEvent).min(1, "must hold at least one event").max(50, "holds more than 50 events"),
  })
  .strict();

export type ApiEvent = z.output<typeof apiEvent>;
export type CollectBatch = z.output<typeof collectBatch>;

/** An event ready for resolution: one shape for every source. */
export interface IncomingEvent {
  clientId: string;
  source: (typeof SOURCES)[number];
  type: string;
  occurredAt: Date;
  identity: { deviceId?: string; email?: string; phone?: string; accountId?: string };
  channel?: string;
  direction?: string;
  properties: Record<string, unknown>;
  campaign?: Record<string, string>;
}
