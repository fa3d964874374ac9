import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { notFound } from "../errors.ts";
import { liveProfileIdOr404 } from "../identity/live-profile-id.ts";
import { exportPerson, personExportCsv } from "./export-person.ts";
import { type PrivacyRequestVia, recordCompletedRequest } from "./record-privacy-request.ts";

/**
 * A data subject access download (P10) as JSON or CSV, logged as an export request done at once (P12) — the
 * same for the API (`via: "api"`), the person's page (`owner`) and the preferences page (`preferences`).
 * A merged-away id exports the survivor; an unknown one is a 404 and logs nothing.
 */
export async function exportDownload(
  db: Db,
  workspaceId: string,
  id: string | undefined,
  format: "json" | "csv",
  via: PrivacyRequestVia,
  filePrefix = "profile",
): Promise<Response> {
  const live = await liveProfileIdOr404(sqlOf(db), workspaceId, id);
  const data = await exportPerson(db, workspaceId, live);
  if (!data) throw notFound("No such profile in this workspace.");
  await recordCompletedRequest(db, workspaceId, { kind: "export", via, profileId: live });
  const headers = {
    "Content-Disposition": `attachment; filename="${filePrefix}-${live}.${format}"`,
    "Cache-Control": "no-store",
  };
  if (format === "json") return Response.json(data, { headers });
  return new Response(personExportCsv(data), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
}
