import { z } from "zod";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { exportDownload } from "@/lib/privacy/export-download.ts";

const query = z.object({ format: z.enum(["json", "csv"]).default("json") });

/** Everything held about the person (P10), as JSON or CSV, logged as an export request (P12). */
export const GET = withApiKey({ scope: "export:read", query }, async ({ query, params, workspaceId, db }) =>
  exportDownload(db, workspaceId, params.id, query.format, "api"),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
