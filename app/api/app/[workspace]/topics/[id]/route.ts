import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { updateTopic, updateTopicBody } from "@/lib/topics/edit-topics.ts";

/** Rename a topic, change its terms, mark it "we don't offer this", ignore it. */
export const PATCH = withWorkspace(
  { body: updateTopicBody, ownerOnly: true, maxBytes: 8192 },
  async ({ body, params, workspace, db }) => Response.json(await updateTopic(db, workspace.id, params.id ?? "", body)),
);

export const { GET, POST, PUT, DELETE } = methodsOtherThan("PATCH");
