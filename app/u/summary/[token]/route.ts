import { getDb } from "@/lib/db/client.ts";
import { unsubscribePage } from "@/lib/emails/unsubscribe-page.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { KiB, readBody } from "@/lib/http/read-body.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { hit } from "@/lib/limits/rate-limit.ts";
import { summaryUnsubscribeGet, summaryUnsubscribePost } from "@/lib/summary/summary-unsubscribe-request.ts";

export const dynamic = "force-dynamic";

/** Requests per client per minute: far above a person's, far below a script's. */
const PER_MINUTE = 60;

type Ctx = { params: Promise<{ token: string }> };

const limited = (req: Request) => hit(`us:${clientKey(req.headers)}`, PER_MINUTE);

/** The one-click unsubscribe of a member's Friday summary (decision 018), public: the signed token is the authority. */
export async function GET(req: Request, ctx: Ctx) {
  const retryAfter = limited(req);
  if (retryAfter !== null) return unsubscribePage({ kind: "problem", status: 429 }, retryAfter);
  return summaryUnsubscribeGet(getDb(), (await ctx.params).token);
}

/** The button, or RFC 8058's one-click `List-Unsubscribe=One-Click` with no cookie: opts out at once, 200. */
export async function POST(req: Request, ctx: Ctx) {
  const retryAfter = limited(req);
  if (retryAfter !== null) return unsubscribePage({ kind: "problem", status: 429 }, retryAfter);
  const raw = await readBody(req, 8 * KiB).catch(() => null);
  if (raw === null) return unsubscribePage({ kind: "problem", status: 413 });
  return summaryUnsubscribePost(getDb(), (await ctx.params).token, raw, req.headers.get("content-type"));
}

export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
