import { getDb } from "@/lib/db/client.ts";
import { pixelResponse } from "@/lib/email-tracking/pixel.ts";
import { recordEmailOpen } from "@/lib/email-tracking/record-open.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { hit } from "@/lib/limits/rate-limit.ts";

export const dynamic = "force-dynamic";

/**
 * Opens recorded per minute: per client (generous, as a mail provider's image proxy fetches for many readers)
 * and per mail (nobody reads one mail 20 times a minute).
 */
const OPENS_PER_CLIENT = 600;
const OPENS_PER_MAIL = 20;

type Ctx = { params: Promise<{ token: string }> };

/**
 * The email open pixel (API.md, public): always the same 1×1 GIF, for known and unknown tokens alike; a known
 * token logs `email/email_opened` on its recipient, within the limits above. A failure to record never breaks
 * the image.
 */
export async function GET(req: Request, ctx: Ctx) {
  const { token } = await ctx.params;
  const limited =
    hit(`o:${clientKey(req.headers)}`, OPENS_PER_CLIENT) !== null || hit(`o:${token}`, OPENS_PER_MAIL) !== null;
  if (!limited) {
    try {
      await recordEmailOpen(getDb(), token);
    } catch (error) {
      console.error("Recording an email open failed", error);
    }
  }
  return pixelResponse();
}

/** HEAD: the image's headers, no open recorded. */
export async function HEAD() {
  return pixelResponse();
}

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
