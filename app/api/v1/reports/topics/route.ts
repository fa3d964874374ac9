import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";
import { reportWorkspace } from "@/lib/reports/report-workspace.ts";
import { topicsQuery, topicsReport } from "@/lib/reports/topics.ts";

/** What customers asked about, this week against the `weeks − 1` before (API.md Reports, decision 019). */
export const GET = withApiKey({ scope: "reports:read", query: topicsQuery }, async ({ query, workspaceId, db }) => {
  const ws = await reportWorkspace(db, workspaceId);
  const report = await topicsReport(reportSql(db), ws, query);
  return Response.json(report, { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
