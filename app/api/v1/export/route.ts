import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { exportQuery } from "@/lib/privacy/export-options.ts";
import { exportWorkspace } from "@/lib/privacy/export-workspace.ts";

export const dynamic = "force-dynamic";

/** The workspace's events, people or conversations as CSV, NDJSON or JSON, streamed (decision 016). */
export const GET = withApiKey({ scope: "export:read", query: exportQuery }, ({ query, workspaceId, db }) =>
  exportWorkspace(db, workspaceId, query),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
