import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { createTrackedLink } from "@/lib/links/create-link.ts";
import { createLinkSchema } from "@/lib/links/schemas.ts";

/** A tracked link (API.md): `201 {"code", "shortUrl"}`; opening it logs `pixel/link_clicked` on the profile. */
export const POST = withApiKey({ scope: "links:write", body: createLinkSchema }, async ({ body, workspaceId, db }) => {
  const link = await createTrackedLink(db, workspaceId, body);
  return Response.json(link, { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
