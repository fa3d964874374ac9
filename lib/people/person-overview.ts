import type { Tx } from "../db/client.ts";
import { channelOptOuts } from "../privacy/channel-opt-outs.ts";

/**
 * Everything the person page shows above the timeline: the ladder (when each rung was first reached and by
 * which event), identifiers masked, attribution, merges and splits, signal counts per source, and the channels
 * the person opted out of (`channelOptOuts`: SMS STOP, unsubscribe links, full opt-outs).
 */
export async function personOverview(db: Tx, workspaceId: string, id: string) {
  const p = await db.profile.findFirst({
    where: { id, workspaceId },
    select: {
      id: true,
      rung: true,
      customerNumber: true,
      displayName: true,
      firstSeenAt: true,
      lastSeenAt: true,
      eventCount: true,
      optedOutAt: true,
      gpcAt: true,
      firstTouch: true,
      lastTouch: true,
      mergedIntoId: true,
      identifiers: {
        select: { type: true, masked: true, shared: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      },
      rungs: { select: { rung: true, reachedAt: true, eventId: true }, orderBy: { rung: "asc" } },
    },
  });
  if (!p) return null;
  const eventIds = p.rungs.map((r) => r.eventId).filter((e): e is string => !!e);
  const [rungEvents, bySource, merges, optOuts] = await Promise.all([
    db.event.findMany({
      where: { id: { in: eventIds }, workspaceId },
      select: { id: true, summary: true, source: true },
    }),
    db.event.groupBy({ by: ["source"], where: { workspaceId, profileId: id }, _count: true }),
    db.profileMerge.findMany({
      where: { workspaceId, OR: [{ intoProfileId: id }, { fromProfileId: id }] },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: {
        id: true,
        kind: true,
        reason: true,
        fromProfileId: true,
        intoProfileId: true,
        createdAt: true,
        undoneAt: true,
        identifiers: true,
      },
    }),
    channelOptOuts(db, workspaceId, id),
  ]);
  const eventById = new Map(rungEvents.map((e) => [e.id, e]));
  return {
    ...p,
    customerNumber: p.rung >= 4 ? p.customerNumber : null,
    ladder: p.rungs.map((r) => ({
      rung: r.rung,
      reachedAt: r.reachedAt,
      event: r.eventId ? (eventById.get(r.eventId) ?? null) : null,
    })),
    sources: Object.fromEntries(bySource.map((s) => [s.source, s._count])) as Record<string, number>,
    merges: merges.map((m) => ({ ...m, identifierCount: Array.isArray(m.identifiers) ? m.identifiers.length : 0 })),
    channelOptOuts: optOuts,
  };
}

export type PersonOverview = NonNullable<Awaited<ReturnType<typeof personOverview>>>;
