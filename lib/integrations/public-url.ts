import { appUrl } from "../config/env.ts";

/**
 * The URL a provider posted to, as the owner pasted it into its dashboard: APP_URL + the request's path + its
 * query string (INTEGRATIONS.md 2.4). Built from APP_URL, not from `req.url`: behind a proxy or on Vercel the
 * host and scheme the app sees are not the ones the provider signed.
 */
export function publicUrl(req: Request): string {
  const { pathname, search } = new URL(req.url);
  return `${appUrl()}${pathname}${search}`;
}
