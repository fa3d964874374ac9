import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { listIntegrations } from "@/lib/integrations/list-integrations.ts";

export const GET = withWorkspace({}, async ({ workspace, db }) =>
  Response.json({ integrations: await listIntegrations(db, workspace.id) }),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
