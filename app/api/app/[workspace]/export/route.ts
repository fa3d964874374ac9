import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { exportQuery } from "@/lib/privacy/export-options.ts";
import { exportWorkspace } from "@/lib/privacy/export-workspace.ts";

export const dynamic = "force-dynamic";

/** Settings → Data's Export button: the same streamed export as `GET /api/v1/export`, for an owner. */
export const GET = withWorkspace({ query: exportQuery, ownerOnly: true }, ({ query, workspace, db }) =>
  exportWorkspace(db, workspace.id, query),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
