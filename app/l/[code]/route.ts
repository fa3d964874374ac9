import { getDb } from "@/lib/db/client.ts";
import { followLink } from "@/lib/links/follow-link.ts";
import { isPrefetch } from "@/lib/links/is-prefetch.ts";
import { linkNotFoundPage } from "@/lib/links/link-not-found-page.ts";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ code: string }> };

/**
 * A tracked link (API.md, public, no session): 302 to the target with `ot_c`, the click counted and logged on
 * the link's person. Bots, link previewers and HEAD requests are redirected without a trace. An unknown code
 * is a friendly 404 page; a database outage a 503 page, never a stack trace.
 */
async function open(req: Request, ctx: Ctx, count: boolean): Promise<Response> {
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
