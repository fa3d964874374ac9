import { z } from "zod";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { connectIntegration, disconnectIntegration } from "@/lib/integrations/connect-integration.ts";

const anyObject = z.record(z.string(), z.unknown());

/** Settings → Integrations: connect or rotate (owners only), as PUT /api/v1/integrations/{provider}. */
export const PUT = withWorkspace(
  { body: anyObject, ownerOnly: true, maxBytes: 16 * 1024 },
  async ({ body, params, workspace, db }) =>
    Response.json(await connectIntegration(db, workspace.id, params.provider ?? "", body)),
);

export const DELETE = withWorkspace({ ownerOnly: true }, async ({ params, workspace, db }) =>
  Response.json(await disconnectIntegration(db, workspace.id, params.provider ?? "")),
);

export const { GET, POST, PATCH } = methodsOtherThan("PUT", "DELETE");
