import { createHash } from "node:crypto";
import type { Db } from "../db/client.ts";
import { PRISMA_TX } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { lockLiveProfiles } from "../identity/lock-profiles.ts";
import { type IdentifierType, identifierKey } from "../identity/types.ts";

/**
 * R17 and P11, `DELETE /api/v1/profiles/{id}`: removes the person wholly — the profile and every profile
 * merged into it, their identifiers (hashes and readable values), events, conversations and messages,
 * rungs, identity log entries and merge records that name them, and the rows other capabilities keep per
 * person (link clicks, email sends, consent records and the withdrawals they made, nudges, pending outbound
 * sends). Their identifier hashes are also taken out of other people's events. A device another person also used stays theirs.
 * What is kept: an ErasureLog row with profile ids and a digest of each identifier hash (not the hash
 * itself: P11 wants no row to hold it), so a restored backup can find and erase them again (P16).
 * Returns false when there is no such profile in the workspace.
 */
export async function eraseProfile(db: Db, workspaceId: string, profileId: string): Promise<boolean> {
  return withRetry(() =>
    db.$transaction(async (tx) => {
      const [live] = (await lockLiveProfiles(tx, workspaceId, [profileId])) ?? [];
      if (!live) return false;
      const root = live.id;

      const tree = await tx.$queryRawUnsafe<{ id: string }[]>(
        `WITH RECURSIVE tree AS (
           SELECT id FROM "Profile" WHERE id = $2::uuid
           UNION SELECT p.id FROM "Profile" p JOIN tree t ON p."mergedIntoId" = t.id WHERE p."workspaceId" = $1::uuid
         ) SELECT id FROM tree`,
        workspaceId,
        root,
      );
      const people = tree.map((t) => t.id);
      const identifiers = await tx.$queryRawUnsafe<
        { id: string; type: IdentifierType; hash: string; shared: boolean }[]
      >(
        `SELECT id, type::text AS type, hash, shared FROM "Identifier" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`,
        workspaceId,
        people,
      );
      // A shared device stays with the other person who used it (R5b), pointing at their latest use (R7).
      const erased: typeof identifiers = [];
      for (const i of identifiers) {
        const other =
          i.type === "device" && i.shared
            ? await tx.$queryRawUnsafe<{ profileId: string }[]>(
                `SELECT "profileId" FROM "Event" WHERE "workspaceId" = $1::uuid AND "identityHashes" @> ARRAY[$2::text]
                 AND "profileId" IS NOT NULL AND "profileId" <> ALL($3::uuid[]) ORDER BY "occurredAt" DESC LIMIT 1`,
                workspaceId,
                identifierKey(i.type, i.hash),
                people,
              )
            : [];
        if (other[0]) {
          await tx.$executeRawUnsafe(
            `UPDATE "Identifier" SET "profileId" = $2::uuid WHERE id = $1::uuid`,
            i.id,
            other[0].profileId,
          );
        } else erased.push(i);
      }
      const keys = erased.map((i) => identifierKey(i.type, i.hash));
      const hashes = erased.map((i) => i.hash);
      const deviceMarks = [...keys, ...hashes];

      await tx.$executeRawUnsafe(
        `WITH
           cv AS (DELETE FROM "Conversation" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           ms AS (DELETE FROM "Message" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           ev AS (DELETE FROM "Event" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           il AS (DELETE FROM "IdentityLink" WHERE "workspaceId" = $1::uuid AND ("profileId" = ANY($2::uuid[]) OR hash = ANY($4::text[]))),
           pm AS (DELETE FROM "ProfileMerge" WHERE "workspaceId" = $1::uuid AND ("fromProfileId" = ANY($2::uuid[])
                    OR "intoProfileId" = ANY($2::uuid[])
                    OR EXISTS (SELECT 1 FROM jsonb_array_elements(identifiers) x WHERE x->>'hash' = ANY($4::text[])))),
           lc AS (DELETE FROM "LinkClick" WHERE "workspaceId" = $1::uuid AND ("profileId" = ANY($2::uuid[]) OR "deviceHash" = ANY($5::text[]))),
           tl AS (UPDATE "TrackedLink" SET "profileId" = NULL WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           es AS (DELETE FROM "EmailSend" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           cr AS (DELETE FROM "ConsentRecord" WHERE "workspaceId" = $1::uuid AND ("profileId" = ANY($2::uuid[]) OR "deviceHash" = ANY($5::text[]))),
           sp AS (DELETE FROM "Suppression" WHERE "workspaceId" = $1::uuid AND type = 'device' AND hash = ANY($4::text[])
                    AND reason = 'consent_withdrawn'),
           nu AS (DELETE FROM "Nudge" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           ob AS (DELETE FROM "Outbox" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           pq AS (UPDATE "PrivacyRequest" SET "profileId" = NULL WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])),
           idf AS (DELETE FROM "Identifier" WHERE "workspaceId" = $1::uuid AND id = ANY($6::uuid[]))
         UPDATE "Event" SET "identityHashes" = ARRAY(SELECT h FROM unnest("identityHashes") AS h WHERE h <> ALL($3::text[]))
         WHERE "workspaceId" = $1::uuid AND "identityHashes" && $3::text[] AND ("profileId" IS NULL OR "profileId" <> ALL($2::uuid[]))`,
        workspaceId,
        people,
        keys,
        hashes,
        deviceMarks,
        erased.map((i) => i.id),
      );
      await tx.$executeRawUnsafe(
        `DELETE FROM "Profile" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[])`,
        workspaceId,
        people,
      );
      await tx.erasureLog.create({
        data: { id: uuidv7(), workspaceId, profileIds: people, hashes: keys.map(erasureDigest) },
      });
      return true;
    }, PRISMA_TX),
  );
}

/**
 * What the ErasureLog keeps of an identifier (`type:hash`): a one-way digest of it. A restored backup computes
 * the same digest for each of its identifiers to find the people erased since the backup (P16).
 */
export const erasureDigest = (key: string) => createHash("sha256").update(`onethread-erasure:${key}`).digest("hex");
