import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { exportForOwner, exportQuery } from "@/lib/people/person-actions.ts";

/** Export (P10): everything held about the person as JSON or CSV, logged as a privacy request. */
export const GET = withWorkspace({ query: exportQuery }, async ({ query, params, workspace, db }) =>
  exportForOwner(db, workspace.id, params.id, query.format),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
