import { z } from "zod";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { badRequest, notFound } from "../errors.ts";
import { liveProfileIdOr404 } from "../identity/live-profile-id.ts";
import { mergeProfiles } from "../identity/merge-profiles.ts";
import { resolveProfileId } from "../identity/resolve-profile-id.ts";
import { splitProfileByIdentifierIds } from "../identity/split-profile.ts";
import { eraseProfile } from "../privacy/erase-profile.ts";
import { exportDownload } from "../privacy/export-download.ts";
import { OPT_OUT_CHANNELS, optIn, optOut, optOutState } from "../privacy/opt-out.ts";
import { listPeople } from "./list-people.ts";

/**
 * The person page's actions (Export, Erase, Split, Merge): the same domain functions as the secret-key API's
 * `/api/v1/profiles/{id}/…`, called for a member of the workspace, each recorded — exports and erasures as
 * privacy requests "via owner" (P12), splits and merges as ProfileMerge rows naming the member (R16, R5d).
 */

export const exportQuery = z.object({ format: z.enum(["json", "csv"]).default("json") });
export const eraseBody = z.object({
  confirm: z.literal("erase", { error: 'Type "erase" to confirm: the person and everything about them will be gone.' }),
});
export const splitBody = z.object({ identifierIds: z.array(z.uuid()).min(1).max(50) });
export const mergeBody = z.object({ otherProfileId: z.string().min(1).max(100) });
export const candidatesQuery = z.object({ q: z.string().trim().max(200).default("") });
const channels = z.array(z.enum(OPT_OUT_CHANNELS)).max(OPT_OUT_CHANNELS.length);
export const optOutsBody = z.object({ optOut: channels.default([]), optIn: channels.default([]) });

/** Everything held about the person as a download (P10), logged as an export request. */
export function exportForOwner(db: Db, workspaceId: string, id: string | undefined, format: "json" | "csv") {
  return exportDownload(db, workspaceId, id, format, "owner", "person");
}

/** Erasure (R17, P11) after the typed confirmation, logged as an erasure request (with no profile id left). */
export async function eraseForOwner(db: Db, workspaceId: string, id: string | undefined) {
  const live = await liveProfileIdOr404(sqlOf(db), workspaceId, id);
  if (!(await eraseProfile(db, workspaceId, live, { via: "owner" })))
    throw notFound("No such profile in this workspace.");
  return { erased: true, erasedAt: new Date().toISOString() };
}

/**
 * The person page's opt-out switches (P7): the person asked the business itself (a call, a visit), so the
 * member records it — through the one writer of opt-outs, logged as a request via `owner` (P12). Opt-ins
 * lift what the member unticked (a spam complaint stays: only the person may lift that).
 */
export async function setOptOutsForOwner(
  db: Db,
  workspaceId: string,
  id: string | undefined,
  body: z.output<typeof optOutsBody>,
) {
  const live = await liveProfileIdOr404(sqlOf(db), workspaceId, id);
  if (body.optIn.length) await optIn(db, workspaceId, live, body.optIn, "owner");
  const state = body.optOut.length
    ? await optOut(db, workspaceId, live, body.optOut, "owner")
    : { optedOut: (await optOutState(db, workspaceId, live)).optedOut };
  return { optedOut: state.optedOut };
}

/** R16: the picked identifiers and the events that came with them become a new person. */
export async function splitForOwner(
  db: Db,
  workspaceId: string,
  id: string | undefined,
  identifierIds: string[],
  byUserId: string,
) {
  const live = await liveProfileIdOr404(sqlOf(db), workspaceId, id);
  const profileId = await splitProfileByIdentifierIds(db, workspaceId, live, identifierIds, { byUserId });
  if (!profileId) throw notFound("No such profile in this workspace.");
  return { profileId, from: live };
}

/** R5d: a deliberate merge of two people; answers the survivor's id (R6), which may be the other one. */
export async function mergeForOwner(
  db: Db,
  workspaceId: string,
  id: string | undefined,
  otherProfileId: string,
  byUserId: string,
) {
  const live = await liveProfileIdOr404(sqlOf(db), workspaceId, id);
  const other = await resolveProfileId(sqlOf(db), workspaceId, otherProfileId);
  if (!other) throw notFound("No such person to merge with in this workspace.");
  if (other === live)
    throw badRequest("otherProfileId: that is this same person", [
      { path: "otherProfileId", message: "is this same person" },
    ]);
  const survivor = await mergeProfiles(db, workspaceId, live, other, { kind: "manual", byUserId });
  if (!survivor) throw notFound("No such profile in this workspace.");
  return { profileId: survivor, merged: [live, other].filter((p) => p !== survivor) };
}

/** People to merge this one with: the customers list's own search (name, email or phone), this person left out. */
export async function mergeCandidates(
  db: Db,
  ws: { id: string; timezone: string; defaultCountry: string },
  id: string | undefined,
  q: string,
) {
  const live = await liveProfileIdOr404(sqlOf(db), ws.id, id);
  if (!q) return { people: [] };
  const found = await listPeople(db, ws, { q, limit: 9 });
  const people = found.people.filter((p) => p.id !== live).slice(0, 8);
  // Members see their customers' contacts in full (the list's own answer may be masked).
  const contacts = await db.identifier.findMany({
    where: { workspaceId: ws.id, profileId: { in: people.map((p) => p.id) }, type: { in: ["email", "phone"] } },
    orderBy: { createdAt: "asc" },
    select: { profileId: true, type: true, valueEnc: true },
  });
  const contact = (id: string, type: "email" | "phone") =>
    decryptOrNull(contacts.find((c) => c.profileId === id && c.type === type)?.valueEnc);
  return {
    people: people.map((p) => {
      const email = contact(p.id, "email") ?? p.email;
      const phone = contact(p.id, "phone") ?? p.phone;
      return {
        id: p.id,
        name: p.name && !p.name.includes("•") ? p.name : (email ?? phone),
        rung: p.rung,
        customerNumber: p.customerNumber,
        email,
        phone,
        lastSeenAt: p.lastSeenAt.toISOString(),
        eventCount: p.eventCount,
      };
    }),
  };
}
