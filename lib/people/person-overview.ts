import { decryptOrNull } from "../crypto/keys.ts";
import type { Tx } from "../db/client.ts";
import { channelOptOuts } from "../privacy/channel-opt-outs.ts";
import { optOutState } from "../privacy/opt-out.ts";

/**
 * Everything the person page shows around the journey: the ladder (when each rung was first reached and by
 * which event), identifiers readable (members of the workspace see their customers' contacts), channel
 * opt-outs, attribution, merges and splits with who did them, and signal counts per source and channel.
 */
export async function personOverview(db: Tx, workspaceId: string, id: string) {
  const p = await db.profile.findFirst({
    where: { id, workspaceId },
    select: {
      id: true,
      rung: true,
      customerNumber: true,
      displayName: true,
      nameEnc: true,
      emailEnc: true,
      phoneEnc: true,
      firstSeenAt: true,
      lastSeenAt: true,
      eventCount: true,
      optedOutAt: true,
      gpcAt: true,
      firstTouch: true,
      lastTouch: true,
      mergedIntoId: true,
      identifiers: {
        select: { id: true, type: true, valueEnc: true, masked: true, shared: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      },
      rungs: { select: { rung: true, reachedAt: true, eventId: true }, orderBy: { rung: "asc" } },
    },
  });
  if (!p) return null;
  const eventIds = p.rungs.map((r) => r.eventId).filter((e): e is string => !!e);
  const [rungEvents, bySource, byChannel, merges, optOuts, requests, optOutNow] = await Promise.all([
    db.event.findMany({
      where: { id: { in: eventIds }, workspaceId },
      select: { id: true, summary: true, source: true },
    }),
    db.event.groupBy({ by: ["source"], where: { workspaceId, profileId: id }, _count: true }),
    db.event.groupBy({ by: ["channel"], where: { workspaceId, profileId: id, channel: { not: null } }, _count: true }),
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
        byUserId: true,
      },
    }),
    channelOptOuts(db, workspaceId, id),
    db.privacyRequest.findMany({
      where: { workspaceId, profileId: id },
      orderBy: { receivedAt: "desc" },
      take: 10,
      select: { id: true, kind: true, via: true, status: true, receivedAt: true, completedAt: true },
    }),
    optOutState(db, workspaceId, id),
  ]);
  const others = [...new Set(merges.flatMap((m) => [m.fromProfileId, m.intoProfileId]).filter((x) => x !== id))];
  const userIds = [...new Set(merges.map((m) => m.byUserId).filter((u): u is string => !!u))];
  const [otherPeople, users] = await Promise.all([
    others.length
      ? db.profile.findMany({
          where: { workspaceId, id: { in: others } },
          select: { id: true, displayName: true, emailEnc: true, phoneEnc: true, mergedIntoId: true },
        })
      : [],
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } })
      : [],
  ]);
  const otherById = new Map(
    otherPeople.map((o) => [
      o.id,
      {
        ...o,
        // Members see contacts in full: a masked display name says less than the contact itself.
        displayName:
          o.displayName && !o.displayName.includes("•")
            ? o.displayName
            : (decryptOrNull(o.emailEnc) ?? decryptOrNull(o.phoneEnc) ?? o.displayName),
      },
    ]),
  );
  const userById = new Map(users.map((u) => [u.id, u.name ?? u.email]));
  const identifiers = p.identifiers.map(({ valueEnc, ...i }) => ({ ...i, value: decryptOrNull(valueEnc) }));
  const email = decryptOrNull(p.emailEnc) ?? identifiers.find((i) => i.type === "email")?.value ?? null;
  const phone = decryptOrNull(p.phoneEnc) ?? identifiers.find((i) => i.type === "phone")?.value ?? null;
  // A display name that is only a masked contact says less than the contact itself, which members may see.
  const named = p.displayName && !p.displayName.includes("•") ? p.displayName : null;
  const eventById = new Map(rungEvents.map((e) => [e.id, e]));
  const { nameEnc, emailEnc: _e, phoneEnc: _p, ...rest } = p;
  return {
    ...rest,
    identifiers,
    name: decryptOrNull(nameEnc) ?? named ?? email ?? phone ?? null,
    email,
    phone,
    optOuts,
    /** The channels opted out as a whole (lib/privacy/opt-out.ts), for the page's switches. */
    optedOutOf: optOutNow.optedOut,
    requests,
    customerNumber: p.rung >= 4 ? p.customerNumber : null,
    ladder: p.rungs.map((r) => ({
      rung: r.rung,
      reachedAt: r.reachedAt,
      event: r.eventId ? (eventById.get(r.eventId) ?? null) : null,
    })),
    sources: Object.fromEntries(bySource.map((s) => [s.source, s._count])) as Record<string, number>,
    channels: Object.fromEntries(byChannel.map((c) => [c.channel, c._count])) as Record<string, number>,
    merges: merges.map(({ identifiers: moved, byUserId, ...m }) => {
      const otherId = m.fromProfileId === id ? m.intoProfileId : m.fromProfileId;
      const other = otherById.get(otherId);
      return {
        ...m,
        identifierCount: Array.isArray(moved) ? moved.length : 0,
        identifierTypes: Array.isArray(moved) ? (moved as { type?: string }[]).map((x) => x.type ?? "?") : [],
        otherId,
        otherName: other?.displayName ?? null,
        otherLive: other ? other.mergedIntoId === null : false,
        by: byUserId ? (userById.get(byUserId) ?? null) : null,
      };
    }),
  };
}

export type PersonOverview = NonNullable<Awaited<ReturnType<typeof personOverview>>>;
