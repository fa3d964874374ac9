import type { Db } from "../db/client.ts";
import { notFound } from "../http/errors.ts";
import type { WorkspaceForIngest } from "./ingest-events.ts";

/** What ingestion needs of a workspace, cached briefly: it is read on every batch. */
const cache = new Map<string, { at: number; ws: WorkspaceForIngest & { honorDoNotTrack: boolean } }>();

export async function loadWorkspaceForIngest(db: Db, id: string) {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < 10_000) return hit.ws;
  const ws = await db.workspace.findUnique({
    where: { id },
    select: { id: true, hashSalt: true, defaultCountry: true, blockedValues: true, honorDoNotTrack: true },
  });
  if (!ws) throw notFound("No such workspace.");
  cache.set(id, { at: Date.now(), ws });
  return ws;
}
