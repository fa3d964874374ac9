import { beginLoginAttempt } from "../auth/login-throttle.ts";
import { appUrl } from "../config/env.ts";
import { AppError } from "../errors.ts";
import { clientKey } from "../limits/client-address.ts";
import { errorBody } from "./error-response.ts";

type RouteContext = { params: Promise<{ nextauth?: string[] }> };
type Handler = (req: Request, ctx: RouteContext) => Promise<Response>;

/**
 * Wraps next-auth's route handler: a password login (POST /api/auth/callback/credentials) is counted, and
 * refused with 429 + Retry-After before next-auth runs when the account or the client is locked
 * (lib/auth/login-throttle.ts). next-auth itself can only answer 401 from `authorize`. Everything else passes.
 */
export function withLoginThrottle(handler: Handler): Handler {
  return async (req, ctx) => {
    const path = (await ctx.params)?.nextauth?.join("/");
    if (req.method === "POST" && path === "callback/credentials") {
      try {
        beginLoginAttempt({ email: await emailOf(req.clone()), client: clientKey(req.headers) });
      } catch (error) {
        if (error instanceof AppError && error.code === "rate_limited") return throttled(error);
        throw error;
      }
    }
    return handler(req, ctx);
  };
}

/** The address of the login form (form-encoded, as next-auth's client sends it, or JSON). */
async function emailOf(req: Request): Promise<string | null> {
  const type = req.headers.get("content-type") ?? "";
  try {
    const text = await req.text();
    if (text.length > 16 * 1024) return null;
    const email = type.includes("application/json")
      ? (JSON.parse(text) as { email?: unknown }).email
      : new URLSearchParams(text).get("email");
    return typeof email === "string" && email.trim() ? email.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * The API.md envelope, plus the `url` next-auth's client reads (`signIn(…, { redirect: false })` takes the
 * `error` parameter of that URL as its result): the login form shows "RateLimited" as a clear message.
 */
function throttled(error: AppError) {
  return Response.json(
    {
      ...errorBody(error.code, error.message),
      // The wait goes along, so the form can say how long and notice when it is over.
      url: `${appUrl()}/login?error=RateLimited&retryAfter=${error.headers?.["Retry-After"] ?? ""}`,
    },
    { status: error.status, headers: { ...error.headers, "Cache-Control": "no-store" } },
  );
}
