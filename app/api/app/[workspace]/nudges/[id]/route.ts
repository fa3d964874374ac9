import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { markNudge, markNudgeInput } from "@/lib/nudges/list-nudges.ts";

/** The overview's "Done" and "Seen": any member may mark a nudge of their workspace. */
export const PATCH = withWorkspace(
  { body: markNudgeInput, maxBytes: 1024 },
  async ({ body, params, workspace, user, db }) =>
    Response.json(await markNudge(db, workspace.id, params.id ?? "", user.id, body)),
);

export const { GET, POST, PUT, DELETE } = methodsOtherThan("PATCH");
