import { z } from "zod";
import { CAMPAIGN_KEYS, type CampaignKey } from "../identity/attribution.ts";

/**
 * The one source of shapes for everything that comes in: the server API's events (POST /api/v1/events) and
 * the browser tracker's payload (POST /api/collect). Every field has a bound (STYLE.md 4, API.md limits).
 */
export const SOURCES = ["web", "email", "channel", "agent", "webhook", "pixel", "ads"] as const;
export const CHANNELS = ["web", "email", "whatsapp", "sms", "telegram", "voice", "webchat"] as const;
export const DIRECTIONS = ["in", "out"] as const;
export type Source = (typeof SOURCES)[number];

export const LIMITS = {
  eventsPerRequest: 500,
  eventsPerCollect: 50,
  idLength: 128,
  identifierLength: 320,
  stringLength: 2000,
  propertiesBytes: 8 * 1024,
  propertiesDepth: 16,
  keyLength: 200,
  /** Events before this are refused as a clock or unit error. */
  earliest: Date.UTC(2000, 0, 1),
  /** How far in the future an event may claim to be (clock skew), in ms. */
  futureSlack: 24 * 60 * 60 * 1000,
} as const;

/** Whether Postgres can store the string: text and jsonb refuse NUL and unpaired UTF-16 surrogates. */
export const storable = (v: string) => !v.includes("\u0000") && v.isWellFormed();
const NOT_STORABLE = "must not contain NUL characters or unpaired surrogates";

/** A bounded string Postgres can store. */
const text = (max: number) => z.string().max(max).refine(storable, NOT_STORABLE);

export const TYPE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const eventTypeSchema = z.string().regex(TYPE_PATTERN, "must match ^[a-z][a-z0-9_]{0,63}$");

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 string or epoch milliseconds, between 2000 and a day from now, as a Date. */
function eventTime() {
  return z.unknown().transform((value, ctx): Date => {
    if (value === undefined || value === null) {
      ctx.addIssue({ code: "custom", message: "is required (an ISO-8601 time or epoch milliseconds)" });
      return z.NEVER;
    }
    let ms = Number.NaN;
    if (typeof value === "number") ms = value;
    else if (value instanceof Date) ms = value.getTime();
    else if (typeof value === "string" && value.length <= 40 && ISO_TIME.test(value)) ms = Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({
        code: "custom",
        message: "must be an ISO-8601 time such as 2026-11-04T09:12:00Z or epoch milliseconds",
      });
      return z.NEVER;
    }
    if (ms < LIMITS.earliest) {
      ctx.addIssue({ code: "custom", message: "must not be before 2000-01-01 (epoch milliseconds, not seconds?)" });
      return z.NEVER;
    }
    if (ms > Date.now() + LIMITS.futureSlack) {
      ctx.addIssue({ code: "custom", message: "must not be more than a day in the future" });
      return z.NEVER;
    }
    return new Date(Math.round(ms));
  });
}

type Issue = { message: string; path: (string | number)[] };

/** Strings at most 2,000 characters and nesting at most 16 deep, anywhere in the value (first problem only). */
function findProblem(value: unknown, path: (string | number)[], depth: number): Issue | null {
  if (typeof value === "string") {
    if (value.length > LIMITS.stringLength)
      return { message: `must be at most ${LIMITS.stringLength} characters`, path };
    return storable(value) ? null : { message: NOT_STORABLE, path };
  }
  if (value === null || typeof value !== "object") return null;
  if (depth >= LIMITS.propertiesDepth)
    return { message: `is nested more than ${LIMITS.propertiesDepth} levels deep`, path };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findProblem(value[i], [...path, i], depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.length > LIMITS.keyLength) return { message: `key longer than ${LIMITS.keyLength} characters`, path };
    if (!storable(k)) return { message: `key ${NOT_STORABLE}`, path };
    const p = findProblem(v, [...path, k], depth + 1);
    if (p) return p;
  }
  return null;
}

export const propertiesSchema = z.record(z.string().max(LIMITS.keyLength), z.unknown()).superRefine((props, ctx) => {
  const problem = findProblem(props, [], 0);
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
    return;
  }
  if (Buffer.byteLength(JSON.stringify(props)) > LIMITS.propertiesBytes) {
    ctx.addIssue({ code: "custom", message: `must be at most ${LIMITS.propertiesBytes} bytes as JSON` });
  }
});

const campaignShape = Object.fromEntries(CAMPAIGN_KEYS.map((k) => [k, text(LIMITS.stringLength).nullish()])) as Record<
  CampaignKey,
  z.ZodOptional<z.ZodNullable<ReturnType<typeof text>>>
>;
/** Known keys only: unknown ones are dropped. */
export const campaignSchema = z.object(campaignShape);

const identityValue = text(LIMITS.identifierLength).nullish();
export const identitySchema = z
  .object({ deviceId: identityValue, email: identityValue, phone: identityValue, accountId: identityValue })
  .refine((i) => [i.deviceId, i.email, i.phone, i.accountId].some((v) => typeof v === "string"), {
    message: "needs at least one of deviceId, email, phone or accountId",
  });

export const eventSchema = z.object({
  id: text(LIMITS.idLength).pipe(z.string().min(1)).nullish(),
  source: z.enum(SOURCES),
  type: eventTypeSchema,
  occurredAt: eventTime(),
  identity: identitySchema,
  channel: z.enum(CHANNELS).nullish(),
  direction: z.enum(DIRECTIONS).nullish(),
  properties: propertiesSchema.nullish(),
  campaign: campaignSchema.nullish(),
});
/**
 * Who vouches for an event (docs/decisions/004-site-key-trust.md). Not a wire field: no request body can set
 * it. `false` for what a browser sent with the public site key (/api/collect, set by `fromCollect`): such an
 * event may attach new identifiers and join an anonymous device to a person, but never merges two profiles
 * that each hold a strong identifier (the merge is refused and recorded, R5d). Absent means trusted: the
 * business's own servers (secret API key), webhooks and the product itself.
 */
export interface EventTrust {
  trusted?: boolean;
}
export type IngestEventInput = z.input<typeof eventSchema> & EventTrust;
export type IngestEvent = z.output<typeof eventSchema> & { occurredAt: Date } & EventTrust;

/** POST /api/v1/events */
export const eventsBodySchema = z.object({
  events: z.array(eventSchema).min(1).max(LIMITS.eventsPerRequest),
});

/** One event of the browser tracker. */
export const collectEventSchema = z.object({
  id: text(LIMITS.idLength).pipe(z.string().min(1)),
  type: eventTypeSchema,
  ts: eventTime().nullish(),
  url: text(LIMITS.stringLength).nullish(),
  referrer: text(LIMITS.stringLength).nullish(),
  title: text(LIMITS.stringLength).nullish(),
  props: propertiesSchema.nullish(),
});

/** POST /api/collect */
export const collectBodySchema = z.object({
  site: z.string().max(200),
  deviceId: text(LIMITS.identifierLength).pipe(z.string().min(1)).nullish(),
  events: z.array(collectEventSchema).min(1).max(LIMITS.eventsPerCollect),
});
export type CollectBody = z.output<typeof collectBodySchema>;

/** One server-API event (the name lib/demo uses). */
export const apiEvent = eventSchema;
export type ApiEvent = z.output<typeof eventSchema>;
