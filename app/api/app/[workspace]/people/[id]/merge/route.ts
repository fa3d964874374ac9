import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { candidatesQuery, mergeBody, mergeCandidates, mergeForOwner } from "@/lib/people/person-actions.ts";

/** People this one could be merged with, by the customers list's search. */
export const GET = withWorkspace({ query: candidatesQuery }, async ({ query, params, workspace, db }) =>
  Response.json(await mergeCandidates(db, workspace, params.id, query.q)),
);

/** Merge (R5d): answers the surviving person's id (R6). */
export const POST = withWorkspace({ body: mergeBody }, async ({ body, params, workspace, user, db }) =>
  Response.json(await mergeForOwner(db, workspace.id, params.id, body.otherProfileId, user.id)),
);

export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
