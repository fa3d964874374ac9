import { z } from "zod";
import { notFound } from "@/lib/errors.ts";
import { withApiKey } from "@/lib/http/handlers.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { exportPerson, personExportCsv } from "@/lib/privacy/export-person.ts";

const query = z.object({ format: z.enum(["json", "csv"]).default("json") });

/** Everything held about the person (P10), as JSON or CSV. */
export const GET = withApiKey({}, async ({ req, params, workspaceId, db }) => {
  const { format } = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  const id = await liveProfileIdOr404(db, workspaceId, params.id);
  const data = await exportPerson(db, workspaceId, id);
  if (!data) throw notFound("No such profile in this workspace.");
  const disposition = `attachment; filename="profile-${id}.${format}"`;
  if (format === "csv") {
    return new Response(personExportCsv(data), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": disposition,
        "Cache-Control": "no-store",
      },
    });
  }
  return Response.json(data, { headers: { "Content-Disposition": disposition, "Cache-Control": "no-store" } });
});
