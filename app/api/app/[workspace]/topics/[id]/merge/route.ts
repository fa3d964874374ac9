import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { mergeTopic, mergeTopicBody } from "@/lib/topics/edit-topics.ts";

/** Merge a topic into another: its messages, counts and words go with it. */
export const POST = withWorkspace(
  { body: mergeTopicBody, ownerOnly: true, maxBytes: 1024 },
  async ({ body, params, workspace, db }) =>
    Response.json(await mergeTopic(db, workspace.id, params.id ?? "", body.into)),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
