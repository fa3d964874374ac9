import { randomBytes } from "node:crypto";
import { z } from "zod";
import { badRequest } from "../../errors.ts";
import { storable } from "../../ingest/schemas.ts";
import type { ProviderModule } from "../types.ts";
import { calcomBody, calcomDeliveryId, mapCalcom } from "./map-calcom.ts";
import { calendlyBody, calendlyDeliveryId, mapCalendly } from "./map-calendly.ts";
import { mapOneThread, oneThreadBody } from "./map-onethread.ts";
import { verifyInboundSignature } from "./verify-signature.ts";

export const SOURCE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** `PUT /api/v1/integrations/inbound:<name>`: `{"secret"?}`; without one the server makes one and answers it once. */
export const inboundConnectSchema = z
  .object({
    secret: z
      .string()
      .min(16, "must be at least 16 characters")
      .max(256)
      .refine((s) => storable(s) && s.trim() === s, "must not contain NULs or surrounding spaces")
      .optional(),
  })
  .strict();

/** Standard Webhooks' form (`whsec_` + base64 of 32 random bytes); it also keys X-OneThread-Signature as written. */
export const generateSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

type Shape = "onethread" | "calcom" | "calendly" | null;

function shapeOf(body: unknown): Shape {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  if ("events" in body) return "onethread";
  if ("triggerEvent" in body) return "calcom";
  if ("event" in body && "payload" in body) return "calendly";
  return null;
}

/** A CRM or scheduler: OneThread's event shape, Cal.com bookings or Calendly invitees (API.md "Webhooks"). */
export const inboundProvider: ProviderModule<z.output<typeof inboundConnectSchema>> = {
  id: "inbound",
  label: "Inbound webhook (CRM, scheduler)",
  connectSchema: inboundConnectSchema,
  connect(input) {
    if (input.secret) return { secret: input.secret };
    const secret = generateSecret();
    return { secret, reveal: { secret } };
  },
  verify: verifyInboundSignature,
  bodyDeliveryId(body) {
    const shape = shapeOf(body);
    if (shape === "calcom") {
      const parsed = calcomBody.safeParse(body);
      return parsed.success ? calcomDeliveryId(parsed.data) : null;
    }
    if (shape === "calendly") {
      const parsed = calendlyBody.safeParse(body);
      return parsed.success ? calendlyDeliveryId(parsed.data) : null;
    }
    return null;
  },
  map(body, eventIdPrefix) {
    switch (shapeOf(body)) {
      case "onethread":
        return mapOneThread(oneThreadBody.parse(body), eventIdPrefix);
      case "calcom":
        return mapCalcom(calcomBody.parse(body), eventIdPrefix);
      case "calendly":
        return mapCalendly(calendlyBody.parse(body), eventIdPrefix);
      default:
        throw badRequest(
          'The body is none of the shapes this source reads: OneThread\'s {"events": […]}, a Cal.com webhook ' +
            "(triggerEvent) or a Calendly webhook (event, payload).",
        );
    }
  },
};
