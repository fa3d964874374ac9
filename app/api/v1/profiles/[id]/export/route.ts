import { z } from "zod";
import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { exportPerson, personExportCsv } from "@/lib/privacy/export-person.ts";

const query = z.object({ format: z.enum(["json", "csv"]).default("json") });

/** Everything held about the person (P10), as JSON or CSV. */
export const GET = withApiKey({ scope: "export:read", query }, async ({ query, params, workspaceId, db }) => {
  const id = await liveProfileIdOr404(db, workspaceId, params.id);
  const data = await exportPerson(db, workspaceId, id);
  if (!data) throw notFound("No such profile in this workspace.");
  const headers = {
    "Content-Disposition": `attachment; filename="profile-${id}.${query.format}"`,
    "Cache-Control": "no-store",
  };
  if (query.format === "json") return Response.json(data, { headers });
  return new Response(personExportCsv(data), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
