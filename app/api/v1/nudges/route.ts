import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { listNudges, nudgesQuery } from "@/lib/nudges/list-nudges.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";

/** The nudges the workspace's rules fired (decision 020), newest first; `status=open|done|all`, `profileId`. */
export const GET = withApiKey({ scope: "reports:read", query: nudgesQuery }, async ({ query, workspaceId, db }) =>
  Response.json({ nudges: await listNudges(db, workspaceId, query) }, { headers: NO_STORE }),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
