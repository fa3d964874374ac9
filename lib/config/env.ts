import { z } from "zod";

/**
 * The environment, parsed once. A missing required secret stops the server with a clear message; nothing
 * falls back silently. `scripts/start.ts` fills the secrets of a local (embedded) install from DATA_DIR.
 */
const notSet = (name: string) =>
  `${name} is not set: a deployment (DATABASE_URL) must set it, e.g. to the output of openssl rand -base64 32 (only the embedded install generates it)`;

/** An http(s) origin: scheme, host and optional port, nothing after (a trailing slash is allowed). */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    ["http:", "https:"].includes(url.protocol) && url.pathname === "/" && !url.search && !url.hash && !url.username
  );
}

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Required by the server (checked at boot in instrumentation.ts); scripts resolve it themselves. */
  DATABASE_URL: z
    .string()
    .refine(
      (value) => URL.canParse(value) && ["postgres:", "postgresql:"].includes(new URL(value).protocol),
      "DATABASE_URL must be a Postgres URL: postgresql://user:password@host:5432/database",
    )
    .optional(),
  AUTH_SECRET: z
    .string({ error: notSet("AUTH_SECRET") })
    .min(32, "AUTH_SECRET must be at least 32 characters (openssl rand -base64 32)"),
  /** Master key for identifier hashing and field encryption (P13); never stored in the database. */
  MASTER_KEY: z
    .string({ error: notSet("MASTER_KEY") })
    .min(32, "MASTER_KEY must be at least 32 characters (openssl rand -base64 32)"),
  /** The previous master key while rotating: values encrypted under it stay readable. */
  MASTER_KEY_PREVIOUS: z.string().min(32).optional(),
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  APP_URL: z.url().optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.url().optional(),
  EMAIL_FROM: z.string().default("OneThread <hello@onethread.local>"),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** Where the workspaces' Stripe API is reached (a local fake in tests, a proxy); default Stripe's own. */
  STRIPE_API_BASE: z
    .string()
    .refine(isOrigin, "STRIPE_API_BASE must be an http(s) origin such as https://api.stripe.com (no path)")
    .optional(),
  /** Where the workspaces' Resend API is reached (a local fake in tests, a proxy); default Resend's own. */
  RESEND_API_BASE: z
    .string()
    .refine(isOrigin, "RESEND_API_BASE must be an http(s) origin such as https://api.resend.com (no path)")
    .optional(),
  /** Where the workspaces' Twilio REST API is reached (a local fake in tests, a proxy); default Twilio's own. */
  TWILIO_API_BASE: z
    .string()
    .refine(isOrigin, "TWILIO_API_BASE must be an http(s) origin such as https://api.twilio.com (no path)")
    .optional(),
  /** Where Meta's Graph API (Conversions API) is reached (a local fake in tests); default graph.facebook.com. */
  META_GRAPH_BASE: z
    .string()
    .refine(isOrigin, "META_GRAPH_BASE must be an http(s) origin such as https://graph.facebook.com (no path)")
    .optional(),
  /** Where Google's Data Manager API is reached (a local fake in tests); default datamanager.googleapis.com. */
  GOOGLE_ADS_API_BASE: z
    .string()
    .refine(
      isOrigin,
      "GOOGLE_ADS_API_BASE must be an http(s) origin such as https://datamanager.googleapis.com (no path)",
    )
    .optional(),
  /**
   * `1`: without RESEND_API_KEY keep mail in the dev outbox and show /dev/outbox outside development (tests,
   * a private staging copy; never a real production deployment). `0`: hide /dev/outbox in development too.
   */
  DEV_OUTBOX: z.enum(["0", "1"]).optional(),
  /** Set by scripts/start.ts when the database is the embedded one (the app then keeps a small pool). */
  ONETHREAD_EMBEDDED: z.enum(["0", "1"]).optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`OneThread cannot start, the environment is incomplete or invalid:\n${problems}`);
  }
  cached = parsed.data;
  return cached;
}

/** Forget the parsed environment (tests that change it; key rotation is otherwise read at boot). */
export function resetEnvCache() {
  cached = undefined;
}

export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
}

/**
 * Whether /dev/outbox exists: under `npm run dev` (NODE_ENV development) or with the explicit DEV_OUTBOX=1
 * opt-in — never merely because the database is the embedded one: `npm start` is a production server that
 * may be reachable by others. Even when it exists, the page shows a mail only to members of its workspace
 * (app/dev/outbox/page.tsx).
 */
export function devOutboxEnabled(): boolean {
  const e = env();
  return e.DEV_OUTBOX === "1" || (e.NODE_ENV === "development" && e.DEV_OUTBOX !== "0");
}

/**
 * How mail leaves this server: through Resend with a key; else into the dev outbox outside production or with
 * the DEV_OUTBOX=1 opt-in; else not at all (lib/mail/send-mail.ts refuses with a 503 that says so).
 */
export function mailDelivery(): "resend" | "outbox" | "none" {
  const e = env();
  if (e.RESEND_API_KEY) return "resend";
  return e.NODE_ENV !== "production" || e.DEV_OUTBOX === "1" ? "outbox" : "none";
}
