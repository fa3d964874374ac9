import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { gaComparison } from "@/lib/reports/ga-comparison.ts";
import { rangeQuery, resolveRange } from "@/lib/reports/report-range.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";
import { reportWorkspace } from "@/lib/reports/report-workspace.ts";

/** The product page's eight questions, answered from this workspace's data over `from`–`to` (API.md Reports). */
export const GET = withApiKey({ scope: "reports:read", query: rangeQuery }, async ({ query, workspaceId, db }) => {
  const ws = await reportWorkspace(db, workspaceId);
  const report = await gaComparison(reportSql(db), ws, resolveRange(query, ws.timezone));
  return Response.json(report, { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
