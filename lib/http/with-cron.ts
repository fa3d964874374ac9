import { env } from "../config/env.ts";
import { safeEqual } from "../crypto/tokens.ts";
import { type Db, getDb } from "../db/client.ts";
import { unauthorized } from "../errors.ts";
import { toErrorResponse } from "./error-response.ts";
import { bearer, type Params, type RouteContext, readParams } from "./route-context.ts";

/** Vercel cron: `Authorization: Bearer $CRON_SECRET`. No secret configured means no access, never open access. */
export function withCron(handler: (c: { req: Request; params: Params; db: Db }) => Promise<Response>) {
  return async (req: Request, ctx?: RouteContext) => {
    try {
      const secret = env().CRON_SECRET;
      const token = bearer(req);
      if (!secret || !token || !safeEqual(token, secret)) throw unauthorized("A valid cron secret is required.");
      return await handler({ req, params: await readParams(ctx), db: getDb() });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
