import { z } from "zod";
import type { ProviderModule } from "../types.ts";
import { mapResendEvent } from "./map-event.ts";
import { verifyResendSignature } from "./verify-signature.ts";

const apiKey = z
  .string()
  .trim()
  .max(255)
  .regex(/^re_[A-Za-z0-9_-]{8,}$/, "must be a Resend API key (re_…) with sending access");
const webhookSecret = z
  .string()
  .trim()
  .max(255)
  .regex(
    /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/,
    "must be the webhook's signing secret (whsec_…), from Resend → Webhooks → your endpoint",
  );
/** `hello@mail.example.com` or `Acme <hello@mail.example.com>`, as Resend's `from` takes it. */
const from = z
  .string()
  .trim()
  .max(320)
  .regex(
    /^(?:[^<>@\r\n]{0,200}<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/,
    "must be a sender address on a domain verified in Resend: hello@mail.example.com or Acme <hello@mail.example.com>",
  );

/** `PUT /api/v1/integrations/resend {"apiKey", "webhookSecret", "from"}` (API.md "Integrations"). */
export const resendConnectSchema = z.object({ apiKey, webhookSecret, from }).strict();
export type ResendConnectInput = z.output<typeof resendConnectSchema>;

/**
 * The workspace's own Resend: its webhook signing secret (sealed as the endpoint's secret), its API key for
 * sends and for fetching received mail (sealed with the credentials), and the sender address (plain setting).
 */
export const resendProvider: ProviderModule<ResendConnectInput> = {
  id: "resend",
  label: "Resend",
  connectSchema: resendConnectSchema,
  connect: (input) => ({
    secret: input.webhookSecret,
    credentials: { apiKey: input.apiKey },
    config: { from: input.from },
  }),
  verify: verifyResendSignature,
  // The delivery id always comes from the signature step (svix-id).
  bodyDeliveryId: () => null,
  map: mapResendEvent,
};
