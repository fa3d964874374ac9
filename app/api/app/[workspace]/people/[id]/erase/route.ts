import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { eraseBody, eraseForOwner } from "@/lib/people/person-actions.ts";

/** Erase (R17, P11) with a typed confirmation; an owner of the workspace only. */
export const POST = withWorkspace({ body: eraseBody, ownerOnly: true }, async ({ params, workspace, db }) =>
  Response.json(await eraseForOwner(db, workspace.id, params.id)),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
