import type { Tx } from "../db/client.ts";
import { isUuid } from "../db/uuidv7.ts";

/**
 * When a person of this workspace was erased (R17, the ErasureLog keeps their profile ids and nothing else),
 * so their old page says so instead of a bare 404. Null when the id was never erased here.
 */
export async function erasedAt(db: Tx, workspaceId: string, profileId: string): Promise<Date | null> {
  if (!isUuid(profileId)) return null;
  const row = await db.erasureLog.findFirst({
    where: { workspaceId, profileIds: { has: profileId } },
    orderBy: { erasedAt: "desc" },
    select: { erasedAt: true },
  });
  return row?.erasedAt ?? null;
}
