import { notFound } from "@/lib/errors.ts";
import { withSession } from "@/lib/http/handlers.ts";
import { revokeApiKey } from "@/lib/workspaces/api-keys.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DELETE = withSession({ ownerOnly: true }, async ({ params, workspace, db }) => {
  if (!UUID.test(params.id ?? "")) throw notFound("No active API key with that id in this workspace.");
  await revokeApiKey(db, workspace!.id, params.id!);
  return Response.json({ revoked: true });
});
