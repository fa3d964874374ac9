import { sqlOf } from "@/lib/db/raw-sql.ts";
import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { eraseProfile } from "@/lib/privacy/erase-profile.ts";
import { getProfileView, NO_STORE } from "@/lib/timeline/profile-view.ts";

/** The profile (API.md); a merged-away id answers the survivor. */
export const GET = withApiKey({ scope: "profiles:read" }, async ({ params, workspaceId, db }) => {
  const id = await liveProfileIdOr404(sqlOf(db), workspaceId, params.id);
  const profile = await getProfileView(sqlOf(db), workspaceId, id);
  if (!profile) throw notFound("No such profile in this workspace.");
  return Response.json(profile, { headers: NO_STORE });
});

/** Erasure (R17, P11): the person and everything derived from them are gone; logged as a request (P12). */
export const DELETE = withApiKey({ scope: "profiles:write" }, async ({ params, workspaceId, db }) => {
  if (!(await eraseProfile(db, workspaceId, params.id ?? "", { via: "api" })))
    throw notFound("No such profile in this workspace.");
  return Response.json({ erased: true });
});

export const { POST, PUT, PATCH } = methodsOtherThan("GET", "DELETE");
