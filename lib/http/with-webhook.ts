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
 * Provider callbacks: the raw body is read first (limit 1 MiB) and handed to `verify`, which must throw
 * AppError("invalid_signature") — or return false — before anything is parsed or stored (STYLE.md 7).
 */
export function withWebhook(
  verify: (c: WebhookContext) => Promise<boolean>,
  handler: (c: WebhookContext) => Promise<Response>,
) {
  return async (req: Request, ctx?: RouteContext) => {
    try {
      const raw = await readBody(req, MiB);
      const c = { req, raw, params: await readParams(ctx), db: getDb() };
      if (!(await verify(c)))
        throw new AppError("invalid_signature", 400, "The webhook signature is missing or wrong.");
      return await handler(c);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
