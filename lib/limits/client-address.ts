import { createHash } from "node:crypto";

/**
 * Who is asking, for rate limits only: the first address of `X-Forwarded-For` as the platform's proxy sets it
 * (Vercel, or nginx/Caddy in front of a self-hosted app), else `X-Real-IP`, else "local" (a request that
 * reached the app directly, as in development). Returned hashed and shortened, so limiter keys never hold a
 * raw IP (PRIVACY.md: no raw IP stored, not even in memory longer than a window).
 */
export function clientKey(headers: Headers): string {
  const forwarded = headers.get("x-vercel-forwarded-for") ?? headers.get("x-forwarded-for") ?? "";
  const first = forwarded.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim() || "local";
  return createHash("sha256").update(first).digest("base64url").slice(0, 16);
}
