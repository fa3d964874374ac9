import Stripe from "stripe";
import { env } from "../../config/env.ts";

/** How long a call to Stripe may take before the request answers 502 (Stripe itself answers within seconds). */
export const stripeLimits = { timeoutMs: 15_000 };

/**
 * A client of the workspace's own Stripe account (its secret key), pointed at STRIPE_API_BASE when set: the SDK
 * takes host, port and protocol separately (INTEGRATIONS.md 1.7; v22 removed per-request hosts). No automatic
 * retries: the caller answers the error at once instead of holding the request.
 */
export function stripeClient(secretKey: string): Stripe {
  const base = env().STRIPE_API_BASE;
  const origin = base ? new URL(base) : null;
  return new Stripe(secretKey, {
    maxNetworkRetries: 0,
    telemetry: false,
    timeout: stripeLimits.timeoutMs,
    ...(origin
      ? {
          host: origin.hostname.replace(/^\[|\]$/g, ""),
          port: origin.port ? Number(origin.port) : origin.protocol === "http:" ? 80 : 443,
          protocol: origin.protocol === "http:" ? "http" : "https",
        }
      : {}),
  });
}
