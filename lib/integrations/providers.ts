import { AppError } from "../errors.ts";
import { googleProvider } from "./google/provider.ts";
import { inboundProvider, SOURCE_NAME } from "./inbound/provider.ts";
import { metaProvider } from "./meta/provider.ts";
import { resendProvider } from "./resend/provider.ts";
import { stripeProvider } from "./stripe/provider.ts";
import { twilioProvider } from "./twilio/provider.ts";
import type { ProviderModule } from "./types.ts";

/** The connectable providers, by the first part of their name. */
const MODULES: Record<string, ProviderModule> = {
  google: googleProvider as ProviderModule,
  inbound: inboundProvider as ProviderModule,
  meta: metaProvider as ProviderModule,
  resend: resendProvider as ProviderModule,
  stripe: stripeProvider as ProviderModule,
  twilio: twilioProvider as ProviderModule,
};

/** An integration as named in URLs: `inbound:<name>` for a source, the provider's id (`stripe`) otherwise. */
export interface IntegrationName {
  /** The full name, as in URLs and receipts: `inbound:cal`. */
  key: string;
  provider: string;
  /** The source name; "default" for single-instance providers. */
  name: string;
  module: ProviderModule;
}

const SUPPORTED =
  "Supported: stripe, twilio, resend, meta, google, and inbound:<name> (a CRM or scheduler; name of lower-case letters, digits and dashes, up to 40 characters).";

/** Reads `inbound:cal` (also percent-encoded); anything else is a 400 naming what is supported today. */
export function parseIntegrationName(raw: string): IntegrationName {
  let value = raw;
  if (value.includes("%")) {
    try {
      value = decodeURIComponent(value);
    } catch {}
  }
  const [provider = "", ...rest] = value.split(":");
  const name = rest.join(":");
  const module = MODULES[provider];
  if (module && provider === "inbound" && SOURCE_NAME.test(name))
    return { key: `inbound:${name}`, provider, name, module };
  if (module && provider !== "inbound" && !rest.length) return { key: provider, provider, name: "default", module };
  const details = [{ path: "provider", message: SUPPORTED }];
  if (provider === "inbound")
    throw new AppError(
      "invalid_request",
      400,
      `"${value.slice(0, 80)}" is not a valid source name. ${SUPPORTED}`,
      details,
    );
  throw new AppError("invalid_request", 400, `Unknown provider "${value.slice(0, 80)}". ${SUPPORTED}`, details);
}

/** The module of a stored endpoint's provider (null for one whose module is gone). */
export const moduleOf = (provider: string): ProviderModule | null => MODULES[provider] ?? null;
