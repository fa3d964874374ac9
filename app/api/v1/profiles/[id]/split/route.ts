import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { splitBodySchema, splitProfile } from "@/lib/identity/split-profile.ts";
import { identityContext, loadWorkspaceForIngest } from "@/lib/ingest/load-workspace.ts";

/** R16: the given identifiers and the events that came with them become a new profile. */
export const POST = withApiKey(
  { scope: "profiles:write", body: splitBodySchema },
  async ({ body, params, workspaceId, db }) => {
    const ws = await loadWorkspaceForIngest(db, workspaceId);
    const profileId = await splitProfile(db, ws, identityContext(ws), params.id ?? "", body.identifiers);
    if (!profileId) throw notFound("No such profile in this workspace.");
    return Response.json({ profileId });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
