import type { z } from "zod";
import { type Db, getDb } from "../db/client.ts";
import { unauthorized } from "../errors.ts";
import { clientKey } from "../limits/client-address.ts";
import { rateLimit } from "../limits/rate-limit.ts";
import { type PreferencesSession, readSession, sessionCookieOf } from "../privacy/preferences/session.ts";
import { toErrorResponse } from "./error-response.ts";
import { type InputOptions, type Parsed, parseBody, parseQuery, type RouteContext } from "./route-context.ts";
import { assertSameOrigin } from "./same-origin.ts";

export interface PreferencesContext<B, Q> {
  req: Request;
  body: B;
  query: Q;
  session: PreferencesSession;
  db: Db;
}

/** Calls per visitor per minute: far above a person's clicking, far below a script's. */
const PER_MINUTE = 60;

/**
 * The person's own calls from their privacy page (`/privacy/preferences/me/…`), public, no owner involved:
 * the page's session cookie (opened by a verification or footer link), same-origin for anything that changes
 * state, JSON bodies as `application/json` only, a per-client rate limit, the error envelope.
 */
export function withPreferencesSession<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(options: InputOptions<B, Q>, handler: (c: PreferencesContext<Parsed<B>, Parsed<Q>>) => Promise<Response>) {
  return async (req: Request, _ctx?: RouteContext) => {
    try {
      assertSameOrigin(req);
      rateLimit(`pp-me:${clientKey(req.headers)}`, PER_MINUTE);
      const db = getDb();
      const session = await readSession(db, sessionCookieOf(req.headers.get("cookie")));
      if (!session)
        throw unauthorized("Your privacy page has closed: open the link from the email again, or ask for a new one.");
      const query = parseQuery(req, options.query as Q);
      const body = await parseBody(req, options, { jsonOnly: true });
      return await handler({ req, body, query, session, db });
    } catch (error) {
      return toErrorResponse(error, { "Cache-Control": "no-store" });
    }
  };
}
