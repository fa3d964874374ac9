import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { listIntegrations } from "@/lib/integrations/list-integrations.ts";

/** The workspace's connected integrations (API.md "Integrations"); secrets are never part of the answer. */
export const GET = withApiKey({ scope: "integrations:read" }, async ({ workspaceId, db }) =>
  Response.json({ integrations: await listIntegrations(db, workspaceId) }),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
