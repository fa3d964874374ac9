import type { z } from "zod";
import { type Db, getDb } from "../db/client.ts";
import { forbidden, unauthorized } from "../errors.ts";
import { rateLimit } from "../limits/rate-limit.ts";
import type { ApiKeyScope } from "../workspaces/api-key-scopes.ts";
import { findApiKey } from "../workspaces/api-keys.ts";
import { toErrorResponse } from "./error-response.ts";
import {
  bearer,
  type InputOptions,
  type Params,
  type Parsed,
  parseBody,
  parseQuery,
  type RouteContext,
  readParams,
} from "./route-context.ts";

export interface ApiKeyContext<B, Q> {
  req: Request;
  body: B;
  query: Q;
  params: Params;
  workspaceId: string;
  db: Db;
}

/**
 * Server-to-server calls with `Authorization: Bearer sk_…` holding `scope`. A site key here is 403: it is
 * public. The key's requests are limited per minute (default 6,000).
 */
export function withApiKey<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  options: InputOptions<B, Q> & { scope: ApiKeyScope; rateLimit?: number },
  handler: (c: ApiKeyContext<Parsed<B>, Parsed<Q>>) => Promise<Response>,
) {
  return async (req: Request, ctx?: RouteContext) => {
    try {
      const token = bearer(req);
      if (!token) throw unauthorized("Send your secret key as `Authorization: Bearer sk_…`.");
      if (token.startsWith("pk_")) {
        throw forbidden("A site key (pk_…) is public and may only be used with /api/collect; use a secret key (sk_…).");
      }
      const db = getDb();
      const key = await findApiKey(db, token);
      if (!key) throw unauthorized("That API key is not valid or has been revoked.");
      if (!key.scopes.includes(options.scope)) {
        throw forbidden(`This API key does not have the \`${options.scope}\` scope; create a key that has it.`);
      }
      rateLimit(`api:${key.id}`, options.rateLimit ?? 6000);
      const query = parseQuery(req, options.query as Q);
      const body = await parseBody(req, options);
      return await handler({ req, body, query, params: await readParams(ctx), workspaceId: key.workspaceId, db });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
