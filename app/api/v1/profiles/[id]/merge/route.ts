import { z } from "zod";
import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { mergeProfiles } from "@/lib/identity/merge-profiles.ts";
import { getProfileView } from "@/lib/timeline/profile-view.ts";

const body = z.object({ otherProfileId: z.string().min(1).max(100) });

/** A deliberate merge (R5d): answers the surviving profile (R6). */
export const POST = withApiKey({ scope: "profiles:write", body }, async ({ body, params, workspaceId, db }) => {
  const survivor = await mergeProfiles(db, workspaceId, params.id ?? "", body.otherProfileId, { kind: "manual" });
  const profile = survivor ? await getProfileView(db, workspaceId, survivor) : null;
  if (!profile) throw notFound("No such profile in this workspace (both ids must be this workspace's profiles).");
  return Response.json(profile);
});

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
