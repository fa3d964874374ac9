import { z } from "zod";
import type { Db } from "../db/client.ts";

export const deliveriesQuery = z.object({
  /** One integration (`inbound:cal`), or every one of the workspace. */
  provider: z.string().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The last id of the previous page. */
  cursor: z.uuid().optional(),
});

/** The delivery log of Settings → Integrations, newest first. Only deliveries that verified are ever kept. */
export async function listDeliveries(db: Db, workspaceId: string, q: z.output<typeof deliveriesQuery>) {
  const rows = await db.webhookReceipt.findMany({
    where: { workspaceId, ...(q.provider ? { provider: q.provider } : {}) },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      provider: true,
      externalId: true,
      receivedAt: true,
      scheme: true,
      outcome: true,
      error: true,
      summary: true,
      eventCount: true,
      attempts: true,
    },
  });
  const page = rows.slice(0, q.limit);
  return {
    deliveries: page.map((r) => ({
      ...r,
      receivedAt: r.receivedAt.toISOString(),
      verified: true,
    })),
    nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
