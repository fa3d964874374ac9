import { getDb } from "@/lib/db/client.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { hit } from "@/lib/limits/rate-limit.ts";
import { followLink } from "@/lib/links/follow-link.ts";
import { isPrefetch } from "@/lib/links/is-prefetch.ts";
import { linkNotFoundPage } from "@/lib/links/link-not-found-page.ts";

export const dynamic = "force-dynamic";

/** Opens per client per minute: far above a person's clicking, far below a script's. */
const OPENS_PER_MINUTE = 120;

type Ctx = { params: Promise<{ code: string }> };

/**
 * A tracked link (API.md, public, no session): 302 to the target with `ot_c`, the click counted and logged on
 * the link's person. Bots, link previewers and HEAD requests are redirected without a trace. An unknown code
 * is a friendly 404 page, a client opening links in a loop a 429 page, a database outage a 503 page.
 */
async function open(req: Request, ctx: Ctx, count: boolean): Promise<Response> {
  const retryAfter = hit(`l:${clientKey(req.headers)}`, OPENS_PER_MINUTE);
  if (retryAfter !== null) return linkNotFoundPage(429, retryAfter);
  const { code } = await ctx.params;
  try {
    const link = await followLink(getDb(), code, { count: count && !isPrefetch(req.headers) });
    if (!link) return linkNotFoundPage(404);
    return new Response(null, {
      status: 302,
      headers: { Location: link.location, "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
    });
  } catch (error) {
    console.error("Tracked link failed", error);
    return linkNotFoundPage(503);
  }
}

export const GET = (req: Request, ctx: Ctx) => open(req, ctx, true);
export const HEAD = (req: Request, ctx: Ctx) => open(req, ctx, false);
export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
