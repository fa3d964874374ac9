import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { revokeApiKey } from "@/lib/workspaces/api-keys.ts";

export const DELETE = withWorkspace({ ownerOnly: true }, async ({ params, workspace, db }) => {
  await revokeApiKey(db, workspace.id, params.id ?? "");
  return Response.json({ revoked: true });
});

export const { GET, POST, PUT, PATCH } = methodsOtherThan("DELETE");
