import { getDb } from "@/lib/db/client.ts";
import { pixelResponse } from "@/lib/email-tracking/pixel.ts";
import { recordEmailOpen } from "@/lib/email-tracking/record-open.ts";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ token: string }> };

/**
 * The email open pixel (API.md, public): always the same 1×1 GIF, for known and unknown tokens alike; a known
 * token logs `email/email_opened` on its recipient. A failure to record never breaks the image.
 */
export async function GET(_req: Request, ctx: Ctx) {
  const { token } = await ctx.params;
  try {
    await recordEmailOpen(getDb(), token);
  } catch (error) {
    console.error("Recording an email open failed", error);
  }
  return pixelResponse();
}

/** HEAD: the image's headers, no open recorded. */
export async function HEAD() {
  return pixelResponse();
}
