import { getDb } from "@/lib/db/client.ts";
import { unsubscribePage } from "@/lib/emails/unsubscribe-page.ts";
import { unsubscribeGet, unsubscribePost } from "@/lib/emails/unsubscribe-request.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { KiB, readBody } from "@/lib/http/read-body.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { hit } from "@/lib/limits/rate-limit.ts";

export const dynamic = "force-dynamic";

/** Requests per client per minute: far above a person's, far below a script's. */
const PER_MINUTE = 60;

type Ctx = { params: Promise<{ token: string }> };

const limited = (req: Request) => hit(`u:${clientKey(req.headers)}`, PER_MINUTE);

/** The unsubscribe page of an email (API.md, public, no session): one button; a GET never changes anything. */
export async function GET(req: Request, ctx: Ctx) {
  const retryAfter = limited(req);
  if (retryAfter !== null) return unsubscribePage({ kind: "problem", status: 429 }, retryAfter);
  return unsubscribeGet(getDb(), (await ctx.params).token);
}

/** The button, or RFC 8058's one-click `List-Unsubscribe=One-Click` with no cookie: opts out at once, 200. */
export async function POST(req: Request, ctx: Ctx) {
  const retryAfter = limited(req);
  if (retryAfter !== null) return unsubscribePage({ kind: "problem", status: 429 }, retryAfter);
  const raw = await readBody(req, 8 * KiB).catch(() => null);
  if (raw === null) return unsubscribePage({ kind: "problem", status: 413 });
  return unsubscribePost(getDb(), (await ctx.params).token, raw, req.headers.get("content-type"));
}

export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
