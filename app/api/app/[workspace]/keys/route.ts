import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { createApiKey, createKeyInput, listApiKeys } from "@/lib/workspaces/api-keys.ts";

export const GET = withWorkspace({}, async ({ workspace, db }) =>
  Response.json({ keys: await listApiKeys(db, workspace.id) }),
);

/** The full key is in this answer only; afterwards only its prefix can be shown. */
export const POST = withWorkspace(
  { body: createKeyInput, ownerOnly: true, maxBytes: 1024 },
  async ({ body, workspace, user, db }) =>
    Response.json(await createApiKey(db, workspace.id, body.name, user.id, body.scopes), { status: 201 }),
);

export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
