import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { listRefunds } from "@/lib/reports/refunds.ts";
import { rangeQuery, resolveRange } from "@/lib/reports/report-range.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";
import { reportWorkspace } from "@/lib/reports/report-workspace.ts";

/** Refunds and cancellations in `from`–`to` with the thread, sentiment and quote of each (API.md Reports). */
export const GET = withApiKey({ scope: "reports:read", query: rangeQuery }, async ({ query, workspaceId, db }) => {
  const ws = await reportWorkspace(db, workspaceId);
  const range = resolveRange(query, ws.timezone);
  const report = await listRefunds(reportSql(db), ws.id, range);
  return Response.json({ ...report, timezone: ws.timezone }, { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
