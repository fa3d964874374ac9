import { z } from "zod";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { connectIntegration, disconnectIntegration } from "@/lib/integrations/connect-integration.ts";

/** Each provider checks its own fields (lib/integrations/<provider>/); the edge only wants a JSON object. */
const anyObject = z.record(z.string(), z.unknown());

/** Connect, or rotate by connecting again: secrets are write-only; a generated one is answered this once. */
export const PUT = withApiKey(
  { scope: "integrations:write", body: anyObject, maxBytes: 16 * 1024 },
  async ({ body, params, workspaceId, db }) =>
    Response.json(await connectIntegration(db, workspaceId, params.provider ?? "", body)),
);

export const DELETE = withApiKey({ scope: "integrations:write" }, async ({ params, workspaceId, db }) =>
  Response.json(await disconnectIntegration(db, workspaceId, params.provider ?? "")),
);

export const { GET, POST, PATCH } = methodsOtherThan("PUT", "DELETE");
