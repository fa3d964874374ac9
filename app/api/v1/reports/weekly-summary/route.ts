import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { reportSql } from "@/lib/reports/report-sql.ts";
import { summaryQuery, weekOrLatest } from "@/lib/summary/summary-query.ts";
import { weeklySummary } from "@/lib/summary/weekly-summary.ts";

/** The figures of a week's Friday summary (API.md Reports), each against the week before; default the latest. */
export const GET = withApiKey({ scope: "reports:read", query: summaryQuery }, async ({ query, workspaceId, db }) => {
  const ws = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { id: true, slug: true, name: true, timezone: true },
  });
  const summary = await weeklySummary(reportSql(db), ws, weekOrLatest(query.week, ws.timezone));
  return Response.json(summary, { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
