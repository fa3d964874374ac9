import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { splitBody, splitForOwner } from "@/lib/people/person-actions.ts";

/** Split (R16): the picked identifiers and their events become a new person. */
export const POST = withWorkspace({ body: splitBody }, async ({ body, params, workspace, user, db }) =>
  Response.json(await splitForOwner(db, workspace.id, params.id, body.identifierIds, user.id)),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
