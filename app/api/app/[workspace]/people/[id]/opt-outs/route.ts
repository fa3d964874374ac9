import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { optOutsBody, setOptOutsForOwner } from "@/lib/people/person-actions.ts";

/** The person page's opt-out switches (P7), recorded as requests via `owner` (P12). */
export const POST = withWorkspace({ body: optOutsBody, maxBytes: 4096 }, async ({ body, params, workspace, db }) =>
  Response.json(await setOptOutsForOwner(db, workspace.id, params.id, body)),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
