import type { Tx } from "../db/client.ts";
import { identifierKey } from "../identity/types.ts";

export interface PersonConsentRecord {
  id: string;
  /** granted | denied */
  choice: string;
  bannerVersion: string | null;
  country: string | null;
  gpc: boolean;
  at: string;
  /** Whether it was recorded for the person or only for one of their devices (before they were known). */
  recordedFor: "person" | "device";
}

/**
 * Every consent choice recorded for a person (P3): those made as them, those of the profiles merged into
 * them, and those of their devices made before the device was tied to them. Oldest first.
 */
export async function personConsentRecords(
  db: Tx,
  workspaceId: string,
  profileId: string,
): Promise<PersonConsentRecord[]> {
  const [merged, devices] = await Promise.all([
    db.profile.findMany({ where: { workspaceId, mergedIntoId: profileId }, select: { id: true } }),
    db.identifier.findMany({ where: { workspaceId, profileId, type: "device" }, select: { hash: true } }),
  ]);
  const profileIds = [profileId, ...merged.map((p) => p.id)];
  const deviceMarks = devices.flatMap((d) => [d.hash, identifierKey("device", d.hash)]);
  const rows = await db.consentRecord.findMany({
    where: {
      workspaceId,
      OR: [{ profileId: { in: profileIds } }, ...(deviceMarks.length ? [{ deviceHash: { in: deviceMarks } }] : [])],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 10_000,
    select: { id: true, profileId: true, choice: true, bannerVersion: true, country: true, gpc: true, createdAt: true },
  });
  return rows.map((r) => ({
    id: r.id,
    choice: r.choice,
    bannerVersion: r.bannerVersion,
    country: r.country?.trim() || null,
    gpc: r.gpc,
    at: r.createdAt.toISOString(),
    recordedFor: r.profileId && profileIds.includes(r.profileId) ? "person" : "device",
  }));
}
