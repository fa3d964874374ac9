import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
// Relative imports: the first-party example (examples/first-party-nextjs) builds inside this repository, and
// Turbopack takes this file into its build too, without our `@/` alias.
import { errorBody } from "./lib/http/error-response.ts";
import { linkNotFoundPage } from "./lib/links/link-not-found-page.ts";

/**
 * Runs before routing, only where it has work (see `matcher`; a proxy on every request cost lookups ~1–3 ms):
 * 1. A path Next cannot decode (`/l/%`, `/api/o/%ED%A0%80`: bad percent-encoding or UTF-8) or holding a NUL
 *    would reach no handler and answer a bare 500 from Next's router: it gets the error envelope (API) or a
 *    friendly page instead.
 * 2. Strangers asking for an owner page go to /login (and come back after logging in). API routes answer 401
 *    JSON themselves, and public pages stay public. Membership of the workspace in the URL is checked by the
 *    pages and API wrappers (a stranger's token has no membership).
 *    A token ended by logout still passes this cheap check (no database) until next-auth rewrites it; the
 *    page's getSessionUser() (lib/auth/session-version.ts) then sends it to /login.
 */
export async function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  if (!decodable(path)) {
    if (path.startsWith("/api/")) {
      return Response.json(errorBody("invalid_request", "The URL's path is not valid percent-encoded UTF-8."), {
        status: 400,
      });
    }
    return linkNotFoundPage(400);
  }
  if (path !== "/app" && !path.startsWith("/app/")) return NextResponse.next();
  const token = await getToken({ req, secret: process.env.AUTH_SECRET });
  if (token?.sub) return NextResponse.next();
  const login = new URL("/login", req.url);
  login.searchParams.set("callbackUrl", req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(login);
}

function decodable(path: string) {
  if (!path.includes("%")) return true;
  try {
    return !decodeURIComponent(path).includes("\u0000");
  } catch {
    return false;
  }
}

// The owner app, and any path holding a percent-escape (a garbled one always does); every other request,
// the ingest paths and the chatbot's lookups among them, reaches its route without a proxy.
export const config = { matcher: ["/app", "/app/:path*", "/(.*%.*)"] };
