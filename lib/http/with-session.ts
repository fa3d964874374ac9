import type { z } from "zod";
import { getSessionUser, type SessionUser } from "../auth/session.ts";
import { type Db, getDb } from "../db/client.ts";
import { forbidden, notFound, unauthorized } from "../errors.ts";
import { findMembership, type MemberWorkspace } from "../workspaces/find-membership.ts";
import { toErrorResponse } from "./error-response.ts";
import {
  type InputOptions,
  type Params,
  type Parsed,
  parseBody,
  parseQuery,
  type RouteContext,
  readParams,
} from "./route-context.ts";
import { assertSameOrigin } from "./same-origin.ts";

export interface SessionContext<B, Q> {
  req: Request;
  body: B;
  query: Q;
  params: Params;
  user: SessionUser;
  db: Db;
}

export interface WorkspaceContext<B, Q> extends SessionContext<B, Q> {
  /** The member's workspace of the URL's `[workspace]` segment, with its settings and the caller's role. */
  workspace: MemberWorkspace;
}

/**
 * Owners' browser calls outside a workspace (accepting an invitation): the next-auth session, same-origin
 * for anything that changes state, JSON bodies as `application/json` only.
 */
export function withSession<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  options: InputOptions<B, Q>,
  handler: (c: SessionContext<Parsed<B>, Parsed<Q>>) => Promise<Response>,
) {
  return async (req: Request, ctx?: RouteContext) => {
    try {
      const { user, ...input } = await authenticate(req, ctx, options);
      return await handler({ req, user, ...input, db: getDb() });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** Owners' browser calls to /api/app/{workspace}/…: as withSession, scoped to a workspace the user belongs to. */
export function withWorkspace<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  options: InputOptions<B, Q> & { ownerOnly?: boolean },
  handler: (c: WorkspaceContext<Parsed<B>, Parsed<Q>>) => Promise<Response>,
) {
  return async (req: Request, ctx?: RouteContext) => {
    try {
      const { user, params, ...input } = await authenticate(req, ctx, options);
      const db = getDb();
      const workspace = await findMembership(db, user.id, params.workspace ?? "");
      // Another tenant's workspace is indistinguishable from a missing one.
      if (!workspace) throw notFound("No such workspace.");
      if (options.ownerOnly && workspace.role !== "owner")
        throw forbidden("Only an owner of this workspace can do that.");
      return await handler({ req, user, params, ...input, workspace, db });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

async function authenticate<B extends z.ZodType | undefined, Q extends z.ZodType | undefined>(
  req: Request,
  ctx: RouteContext | undefined,
  options: InputOptions<B, Q>,
) {
  assertSameOrigin(req);
  const user = await getSessionUser();
  if (!user) throw unauthorized("Log in first.");
  const params = await readParams(ctx);
  const query = parseQuery(req, options.query as Q);
  const body = await parseBody(req, options, { jsonOnly: true });
  return { user, params, query, body };
}
