import { type Db, getDb } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { toErrorResponse } from "./error-response.ts";
import { MiB, readBody } from "./read-body.ts";
import { type Params, type RouteContext, readParams } from "./route-context.ts";

export interface WebhookContext {
  req: Request;
  raw: string;
  params: Params;
  db: Db;
}

/**
 * Provider callbacks: the raw body is read first (limit 1 MiB) and handed to `verify`, which answers what it
 * verified (the integration, the delivery id) — or false, or throws — before anything is parsed or stored
 * (STYLE.md 7). False is 400 `invalid_signature`; a missing workspace or source is `verify`'s own 404.
 */
export function withWebhook<V>(
  verify: (c: WebhookContext) => Promise<V | false>,
  handler: (c: WebhookContext & { verified: V }) => Promise<Response>,
) {
  return async (req: Request, ctx?: RouteContext) => {
    try {
      const raw = await readBody(req, MiB);
      const c = { req, raw, params: await readParams(ctx), db: getDb() };
      const verified = await verify(c);
      if (verified === false)
        throw new AppError("invalid_signature", 400, "The webhook signature is missing or wrong.");
      return await handler({ ...c, verified });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
