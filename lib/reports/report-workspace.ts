import type { Tx } from "../db/client.ts";
import { notFound } from "../errors.ts";

/** What a report needs of the workspace a secret key belongs to: its zone (local days) and slug (proof links). */
export async function reportWorkspace(db: Tx, workspaceId: string) {
  const ws = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { id: true, slug: true, timezone: true },
  });
  if (!ws) throw notFound("This workspace no longer exists.");
  return ws;
}
