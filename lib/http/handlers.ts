import type { z } from "zod";
import { getSessionUser, type SessionUser } from "../auth/session.ts";
import { env } from "../config/env.ts";
import { safeEqual } from "../crypto/tokens.ts";
import { type Db, getDb } from "../db/client.ts";
import { AppError, forbidden, unauthorized } from "../errors.ts";
import { rateLimit } from "../limits/rate-limit.ts";
import { findApiKey, findSiteKey } from "../workspaces/api-keys.ts";
import { toErrorResponse } from "./error-response.ts";
import { KiB, MiB, parseJson, readBody } from "./read-body.ts";

/**
 * One typed wrapper per kind of caller (STYLE.md 2). Each authenticates, limits the body, parses it with
 * zod and maps every error to the envelope, so a route handler reads: parse → call one domain function →
 * respond. Next 16 passes `params` as a promise; the wrappers await it.
 */
type RouteContext = { params: Promise<Record<string, string | string[]>> };
type Params = Record<string, string>;

interface BodyOptions<S extends z.ZodType | undefined> {
  /** zod schema of the JSON body; omit for bodiless requests. */
  body?: S;
  /** Largest accepted body in bytes. */
  maxBytes?: number;
}
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

async function readParams(ctx: RouteContext | undefined): Promise<Params> {
  const raw = ctx ? await ctx.params : {};
  const out: Params = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k] = Array.isArray(v) ? v.join("/") : v;
  return out;
}

async function parseBody<S extends z.ZodType | undefined>(req: Request, options: BodyOptions<S>): Promise<Parsed<S>> {
  if (!options.body) return undefined as Parsed<S>;
  const text = await readBody(req, options.maxBytes ?? 64 * KiB);
  const json = parseJson(text);
  return options.body.parse(json) as Parsed<S>;
}

function bearer(req: Request) {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export interface ApiKeyContext<B> {
  req: Request;
  body: B;
  params: Params;
  workspaceId: string;
  db: Db;
}

/** Server-to-server calls with `Authorization: Bearer sk_…`. A site key here is 403: it is public. */
export function withApiKey<S extends z.ZodType | undefined = undefined>(
  options: BodyOptions<S> & { rateLimit?: number },
  handler: (c: ApiKeyContext<Parsed<S>>) => Promise<Response>,
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
      rateLimit(`api:${key.id}`, options.rateLimit ?? 6000);
      const body = await parseBody(req, options);
      return await handler({ req, body, params: await readParams(ctx), workspaceId: key.workspaceId, db });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

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
 * `text/plain` bodies are accepted because navigator.sendBeacon cannot set a JSON content type.
 */
export function withSiteKey<S extends z.ZodType>(
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

export const corsPreflight = () => new Response(null, { status: 204, headers: CORS_HEADERS });

export interface SessionContext<B> {
  req: Request;
  body: B;
  params: Params;
  user: SessionUser;
  /** Present when the route has a `[workspace]` segment: the member's workspace and role. */
  workspace: { id: string; slug: string; role: "owner" | "member" } | null;
  db: Db;
}

/** Owners' browser calls to /api/app/…: the next-auth session, scoped to a workspace the user belongs to. */
export function withSession<S extends z.ZodType | undefined = undefined>(
  options: BodyOptions<S> & { ownerOnly?: boolean },
  handler: (c: SessionContext<Parsed<S>>) => Promise<Response>,
) {
  return async (req: Request, ctx?: RouteContext) => {
    try {
      const user = await getSessionUser();
      if (!user) throw unauthorized("Log in first.");
      const params = await readParams(ctx);
      const db = getDb();
      let workspace: SessionContext<unknown>["workspace"] = null;
      if (params.workspace) {
        const membership = await db.membership.findFirst({
          where: { userId: user.id, workspace: { slug: params.workspace } },
          select: { role: true, workspace: { select: { id: true, slug: true } } },
        });
        // Another tenant's workspace is indistinguishable from a missing one.
        if (!membership) throw new AppError("not_found", 404, "No such workspace.");
        if (options.ownerOnly && membership.role !== "owner")
          throw forbidden("Only an owner of this workspace can do that.");
        workspace = { ...membership.workspace, role: membership.role };
      }
      const body = await parseBody(req, options);
      return await handler({ req, body, params, user, workspace, db });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

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

/** Vercel cron: `Authorization: Bearer $CRON_SECRET`. No secret configured means no access, never open access. */
export function withCron(handler: (c: { req: Request; db: Db }) => Promise<Response>) {
  return async (req: Request) => {
    try {
      const secret = env().CRON_SECRET;
      const token = bearer(req);
      if (!secret || !token || !safeEqual(token, secret)) throw unauthorized("A valid cron secret is required.");
      return await handler({ req, db: getDb() });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
