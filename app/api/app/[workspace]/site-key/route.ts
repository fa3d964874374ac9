import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { setSiteKeyOrigins, siteKeyOriginsInput } from "@/lib/workspaces/site-key-origins.ts";

/** The origins whose pages may use the site key (empty: any). */
export const PATCH = withWorkspace(
  { body: siteKeyOriginsInput, ownerOnly: true, maxBytes: 8192 },
  async ({ body, workspace, db }) => Response.json(await setSiteKeyOrigins(db, workspace.id, body)),
);

export const { GET, POST, PUT, DELETE } = methodsOtherThan("PATCH");
