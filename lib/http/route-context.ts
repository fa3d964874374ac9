import type { z } from "zod";
import { AppError, badRequest } from "../errors.ts";
import { parseJson, readBody } from "./read-body.ts";

/** What Next 16 hands a route handler besides the request: the dynamic segments, as a promise. */
export type RouteContext = { params: Promise<Record<string, string | string[]>> };
export type Params = Record<string, string>;

/** The shapes a wrapper checks before its handler runs; each inferred type reaches the handler. */
export interface InputOptions<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  /** zod schema of the JSON body; omit for bodiless requests. */
  body?: B;
  /** zod schema of the query string (each parameter once, as a string). */
  query?: Q;
  /** Largest accepted body in bytes (default 64 KiB). */
  maxBytes?: number;
}
export type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export async function readParams(ctx: RouteContext | undefined): Promise<Params> {
  const raw = ctx ? await ctx.params : {};
  const out: Params = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    const value = Array.isArray(v) ? v.join("/") : v;
    // The proxy already refuses such paths; a handler called any other way refuses them too.
    if (value.includes("\u0000") || !value.isWellFormed()) {
      throw badRequest("The URL's path is not valid percent-encoded UTF-8.", [{ path: k, message: "is not valid" }]);
    }
    out[k] = value;
  }
  return out;
}

export function parseQuery<Q extends z.ZodType | undefined>(req: Request, schema: Q): Parsed<Q> {
  if (!schema) return undefined as Parsed<Q>;
  const params = new URL(req.url).searchParams;
  const query: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in query) throw badRequest(`\`${key}\` is given more than once.`, [{ path: key, message: "repeated" }]);
    query[key] = value;
  }
  rejectNul(query, "query");
  return schema.parse(query) as Parsed<Q>;
}

/**
 * Reads and parses the JSON body. `jsonOnly`: the browser session routes accept `application/json` only, so a
 * cross-site `text/plain` form or no-cors fetch (which cannot send that type without a preflight) never
 * reaches a handler.
 */
export async function parseBody<B extends z.ZodType | undefined>(
  req: Request,
  options: InputOptions<B, z.ZodType | undefined>,
  { jsonOnly = false } = {},
): Promise<Parsed<B>> {
  if (!options.body) return undefined as Parsed<B>;
  if (jsonOnly && !isJsonContentType(req.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", 415, "Send the body as JSON with `Content-Type: application/json`.");
  }
  const text = await readBody(req, options.maxBytes ?? 64 * 1024);
  const json = parseJson(text);
  // Ingest schemas refuse NULs field by field themselves; the owner's routes get it here. JSON can only
  // carry a NUL escaped, so bodies without that escape are not walked.
  if (jsonOnly && text.includes("\\u0000")) rejectNul(json, "");
  return options.body.parse(json) as Parsed<B>;
}

export function isJsonContentType(value: string | null) {
  return /^application\/json\s*(;|$)/i.test(value?.trim() ?? "");
}

/**
 * A NUL character cannot be stored in Postgres text (22021): refuse it where it arrives, with the field's path,
 * instead of letting the database fail later.
 */
export function rejectNul(value: unknown, path: string): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) {
      throw badRequest(`${path || "(body)"}: must not contain a NUL character`, [
        { path: path || "(body)", message: "must not contain a NUL character" },
      ]);
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) rejectNul(item, `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) rejectNul(v, path ? `${path}.${k}` : k);
  }
}

export function bearer(req: Request) {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
