import { z } from "zod";
import { notFound } from "@/lib/errors.ts";
import { withSession } from "@/lib/http/handlers.ts";
import { resolveProfileId } from "@/lib/identity/resolve-profile-id.ts";
import { SOURCES } from "@/lib/ingest/schemas.ts";
import { getTimeline } from "@/lib/timeline/get-timeline.ts";

const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
  source: z.enum(SOURCES).optional(),
});

/** The person page's timeline, for the logged-in owner (session, workspace membership). */
export const GET = withSession({}, async ({ req, params, workspace, db }) => {
  const q = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  const id = await resolveProfileId(db, workspace!.id, params.id ?? "");
  if (!id) throw notFound("No such person in this workspace.");
  return Response.json(await getTimeline(db, workspace!.id, id, q));
});
