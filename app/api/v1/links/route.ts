import { withApiKey } from "@/lib/http/handlers.ts";
import { createTrackedLink } from "@/lib/links/create-link.ts";
import { createLinkSchema } from "@/lib/links/schemas.ts";

/** A tracked link (API.md): `201 {"code", "shortUrl"}`; opening it logs `pixel/link_clicked` on the profile. */
export const POST = withApiKey({ body: createLinkSchema }, async ({ body, workspaceId, db }) => {
  const link = await createTrackedLink(db, workspaceId, body);
  return Response.json(link, { status: 201, headers: { "Cache-Control": "no-store" } });
});
