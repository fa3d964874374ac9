import type { z } from "zod";
import { type Db, getDb } from "../db/client.ts";
import { forbidden, unauthorized } from "../errors.ts";
import { rateLimit } from "../limits/rate-limit.ts";
import type { RequestHeaders } from "../request-headers.ts";
import { findSiteKey } from "../workspaces/api-keys.ts";
import { afterResponse } from "./after-response.ts";
import { type Answer, toResponse } from "./answer.ts";
import { errorAnswer } from "./error-response.ts";
import { KiB, parseJson, payloadTooLarge, readBody } from "./read-body.ts";

export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
  "Access-Control-Allow-Headers": "content-type",
  "Access-Control-Max-Age": "86400",
};

export interface SiteKeyContext<B> {
  headers: RequestHeaders;
  body: B;
  workspaceId: string;
  db: Db;
  /** Work to finish after the answer is sent (a serverless function is kept alive for it). */
  afterAnswer: (work: () => Promise<unknown>) => void;
}

/**
 * A site-key request as `npm start`'s listener hands it over, without a web `Request` (scripts/serve.ts):
 * the path and query, the headers, and the body it read, or null when the body passed the endpoint's limit.
 */
export interface DirectRequest {
  url: string;
  headers: RequestHeaders;
  body: string | null;
}

/** A route handler that `npm start`'s listener may also call directly, with the same checks and answers. */
export type SiteKeyRoute = ((req: Request) => Promise<Response>) & {
  direct: (req: DirectRequest) => Promise<Answer>;
};

/**
 * Browser calls carrying the public site key inside the body (`site`) or the query (`?site=`). CORS is open;
 * `text/plain` bodies are accepted because navigator.sendBeacon cannot set a JSON content type. A key with
 * allowed origins set answers only pages of those origins (an `Origin` it does not list, or none, is 403).
 * The route handler serves it through Next; its `direct` form serves the same from a node:http listener.
 */
export function withSiteKey<S extends z.ZodType | undefined = undefined>(
  options: { body?: S; maxBytes?: number; rateLimit?: number },
  handler: (c: SiteKeyContext<S extends z.ZodType ? z.output<S> : undefined>) => Promise<Answer>,
): SiteKeyRoute {
  const maxBytes = options.maxBytes ?? 64 * KiB;
  const answer = async (url: string, headers: RequestHeaders, readText: () => Promise<string>, after: AfterAnswer) => {
    try {
      let json: unknown;
      let site: unknown;
      if (options.body) {
        json = parseJson(await readText());
        if (json && typeof json === "object" && "site" in json) site = (json as { site: unknown }).site;
      }
      if (site === undefined) site = new URL(url, "http://localhost").searchParams.get("site");
      if (typeof site !== "string" || !site) throw unauthorized('A site key (`site`: "pk_…") is required.');
      if (site.startsWith("sk_")) {
        throw forbidden("Never put a secret key (sk_…) in a web page: use the workspace's site key (pk_…).");
      }
      const db = getDb();
      const key = await findSiteKey(db, site);
      if (!key) throw unauthorized("That site key is not valid.");
      if (key.allowedOrigins.length) assertAllowedOrigin(headers, key.allowedOrigins);
      rateLimit(`site:${site}`, options.rateLimit ?? 12_000);
      const body = (options.body ? options.body.parse(json) : undefined) as S extends z.ZodType
        ? z.output<S>
        : undefined;
      const res = await handler({ headers, body, workspaceId: key.workspaceId, db, afterAnswer: after });
      return { ...res, headers: { ...res.headers, ...CORS_HEADERS } };
    } catch (error) {
      return errorAnswer(error, CORS_HEADERS);
    }
  };
  const web = async (req: Request) =>
    toResponse(await answer(req.url, req.headers, () => readBody(req, maxBytes), afterResponse));
  const direct = (req: DirectRequest) =>
    answer(
      req.url,
      req.headers,
      async () => {
        if (req.body === null) throw payloadTooLarge(maxBytes);
        return req.body;
      },
      startNow,
    );
  return Object.assign(web, { direct });
}

type AfterAnswer = (work: () => Promise<unknown>) => void;

/** A long-running listener has no function to keep alive: the work just starts. */
const startNow: AfterAnswer = (work) => {
  void work().catch((error) => console.error("After the answer:", error));
};

function assertAllowedOrigin(headers: RequestHeaders, allowed: string[]) {
  const origin = headers.get("origin");
  if (origin && allowed.includes(origin)) return;
  throw forbidden(
    origin
      ? `This site key does not accept events from ${origin}: add the origin to the key's allowed origins.`
      : "This site key only accepts events sent by pages of its allowed origins (the request has no Origin).",
  );
}

export const corsPreflight = () => new Response(null, { status: 204, headers: CORS_HEADERS });
