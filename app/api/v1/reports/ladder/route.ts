import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { ladderReport } from "@/lib/reports/ladder-report.ts";
import { rangeQuery, resolveRange } from "@/lib/reports/report-range.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";
import { reportWorkspace } from "@/lib/reports/report-workspace.ts";

/** The ladder as a funnel over `from`–`to` (default: the last 30 days in the workspace's zone), API.md Reports. */
export const GET = withApiKey({ scope: "reports:read", query: rangeQuery }, async ({ query, workspaceId, db }) => {
  const ws = await reportWorkspace(db, workspaceId);
  const report = await ladderReport(reportSql(db), ws.id, resolveRange(query, ws.timezone));
  return Response.json(report, { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
