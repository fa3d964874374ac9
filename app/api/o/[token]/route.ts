import { getDb } from "@/lib/db/client.ts";
import { countOpen } from "@/lib/email-tracking/count-open.ts";
import { pixelResponse } from "@/lib/email-tracking/pixel.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ token: string }> };

/**
 * The email open pixel (API.md, public): always the same 1×1 GIF, for known and unknown tokens alike; a known
 * token logs `email/email_opened` on its recipient (within per-client and per-mail limits).
 */
export async function GET(req: Request, ctx: Ctx) {
  await countOpen(getDb(), (await ctx.params).token, req.headers);
  return pixelResponse();
}

/** HEAD: the image's headers, no open recorded. */
export async function HEAD() {
  return pixelResponse();
}

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
