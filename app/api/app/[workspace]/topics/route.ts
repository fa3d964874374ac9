import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { addTopic, addTopicBody, listTopics } from "@/lib/topics/edit-topics.ts";

/** The workspace's topic vocabulary (decision 019): list it, add a topic. */
export const GET = withWorkspace({}, async ({ workspace, db }) =>
  Response.json({ topics: await listTopics(db, workspace.id) }),
);

export const POST = withWorkspace(
  { body: addTopicBody, ownerOnly: true, maxBytes: 8192 },
  async ({ body, workspace, db }) => Response.json(await addTopic(db, workspace.id, body), { status: 201 }),
);

export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
