import type { z } from "zod";
import { type Db, getDb } from "../db/client.ts";
import { forbidden, unauthorized } from "../errors.ts";
import { rateLimit } from "../limits/rate-limit.ts";
import { findSiteKey } from "../workspaces/api-keys.ts";
import { toErrorResponse } from "./error-response.ts";
import { KiB, parseJson, readBody } from "./read-body.ts";

export const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
  "Access-Control-Allow-Headers": "content-type",
  "Access-Control-Max-Age": "86400",
};

export interface SiteKeyContext<B> {
  req: Request;
  body: B;
  workspaceId: string;
  db: Db;
}

/**
 * Browser calls carrying the public site key inside the body (`site`) or the query (`?site=`). CORS is open;
 * `text/plain` bodies are accepted because navigator.sendBeacon cannot set a JSON content type. A key with
 * allowed origins set answers only pages of those origins (an `Origin` it does not list, or none, is 403).
 */
export function withSiteKey<S extends z.ZodType | undefined = undefined>(
  options: { body?: S; maxBytes?: number; rateLimit?: number },
  handler: (c: SiteKeyContext<S extends z.ZodType ? z.output<S> : undefined>) => Promise<Response>,
) {
  return async (req: Request) => {
    try {
      let json: unknown;
      let site: unknown = new URL(req.url).searchParams.get("site");
      if (options.body) {
        json = parseJson(await readBody(req, options.maxBytes ?? 64 * KiB));
        if (json && typeof json === "object" && "site" in json) site = (json as { site: unknown }).site;
      }
      if (typeof site !== "string" || !site) throw unauthorized('A site key (`site`: "pk_…") is required.');
      if (site.startsWith("sk_")) {
        throw forbidden("Never put a secret key (sk_…) in a web page: use the workspace's site key (pk_…).");
      }
      const db = getDb();
      const key = await findSiteKey(db, site);
      if (!key) throw unauthorized("That site key is not valid.");
      if (key.allowedOrigins.length) assertAllowedOrigin(req, key.allowedOrigins);
      rateLimit(`site:${site}`, options.rateLimit ?? 12_000);
      const body = (options.body ? options.body.parse(json) : undefined) as S extends z.ZodType
        ? z.output<S>
        : undefined;
      const res = await handler({ req, body, workspaceId: key.workspaceId, db });
      for (const [k, v] of Object.entries(CORS_HEADERS)) res.headers.set(k, v);
      return res;
    } catch (error) {
      return toErrorResponse(error, CORS_HEADERS);
    }
  };
}

function assertAllowedOrigin(req: Request, allowed: string[]) {
  const origin = req.headers.get("origin");
  if (origin && allowed.includes(origin)) return;
  throw forbidden(
    origin
      ? `This site key does not accept events from ${origin}: add the origin to the key's allowed origins.`
      : "This site key only accepts events sent by pages of its allowed origins (the request has no Origin).",
  );
}

export const corsPreflight = () => new Response(null, { status: 204, headers: CORS_HEADERS });
