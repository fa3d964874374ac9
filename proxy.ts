import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";

/**
 * Strangers asking for an owner page go to /login (and come back after logging in). Only the owner app is
 * gated here; API routes answer 401 JSON themselves, and public pages stay public. Membership of the
 * workspace in the URL is checked by the pages and API wrappers (a stranger's token has no membership).
 * This check is cheap (no database): a token ended by logout still passes here until next-auth rewrites it,
 * and the page's getSessionUser() (lib/auth/session-version.ts) sends it to /login; a rewritten, ended token
 * has no `sub` and is stopped here already.
 */
export async function proxy(req: NextRequest) {
  const token = await getToken({ req, secret: process.env.AUTH_SECRET });
  if (token?.sub) return NextResponse.next();
  const login = new URL("/login", req.url);
  login.searchParams.set("callbackUrl", req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/app", "/app/:path*"] };
