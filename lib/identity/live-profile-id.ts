import type { Sql } from "../db/raw-sql.ts";
import { notFound } from "../errors.ts";
import { resolveProfileId } from "./resolve-profile-id.ts";

/** The live profile an API path's id stands for (a merged-away id answers its survivor), or a 404. */
export async function liveProfileIdOr404(db: Sql, workspaceId: string, id: string | undefined): Promise<string> {
  const live = id ? await resolveProfileId(db, workspaceId, id) : null;
  if (!live) throw notFound("No such profile in this workspace.");
  return live;
}
