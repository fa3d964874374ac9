import { appUrl } from "../config/env.ts";
import { AppError } from "../errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for the owner's cookie-authenticated routes (docs/decisions/005-same-origin-owner-routes.md):
 * a state-changing request must come from the app's own origin. Browsers say where a request comes from in
 * `Sec-Fetch-Site` (every current one) and `Origin` (every POST, PATCH, DELETE); a page on another origin —
 * even a sibling subdomain of the same site — is refused. A request carrying neither header is not from a
 * browser, so it carries no ambient cookie worth forging.
 */
export function assertSameOrigin(req: Request) {
  if (SAFE_METHODS.has(req.method)) return;
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin") throw crossSite();
  const origin = req.headers.get("origin");
  if (origin !== null && !ownOrigins(req).has(origin)) throw crossSite();
}

/** The app's public origin (APP_URL) and the origin the request itself was addressed to. */
function ownOrigins(req: Request) {
  const own = new Set([new URL(appUrl()).origin]);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) {
    const proto = req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "");
    own.add(`${proto}://${host}`);
  }
  return own;
}

const crossSite = () =>
  new AppError("forbidden", 403, "This request did not come from OneThread's own pages, so it was refused.");
