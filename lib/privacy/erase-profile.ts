import { createHash } from "node:crypto";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { PRISMA_TX } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { lockLiveProfiles } from "../identity/lock-profiles.ts";
import { identifierKey } from "../identity/types.ts";
import { type PrivacyRequestVia, recordCompletedRequest } from "./record-privacy-request.ts";

/**
 * R17 and P11, `DELETE /api/v1/profiles/{id}`: removes the person wholly — the profile and every profile
 * merged into it, their identifiers (hashes and readable values), events, conversations and messages,
 * rungs, identity log entries and merge records that name them, and the rows other capabilities keep per
 * person (link clicks, email sends, consent records, nudges, pending outbound sends, every suppression over
 * their identifiers, opt-outs included, mail kept for them in the dev outbox, their privacy-page links and
 * sessions). Their identifier hashes are also taken out of other people's events.
 * A device another person also used stays theirs.
 * What is kept: an ErasureLog row with profile ids and a digest of each identifier hash (not the hash
 * itself: P11 wants no row to hold it), so a restored backup can find and erase them again (P16).
 * With `via`, the erasure is logged in the same transaction as a privacy request done at once (P12), naming
 * nobody. Returns false when there is no such profile in the workspace.
 */
export async function eraseProfile(
  db: Db,
  workspaceId: string,
  profileId: string,
  options: { via?: PrivacyRequestVia } = {},
): Promise<boolean> {
  return withRetry(() =>
    db.$transaction(async (tx) => {
      const [live] = (await lockLiveProfiles(tx, workspaceId, [profileId])) ?? [];
      if (!live) return false;
      const root = live.id;

      // The person and every profile merged into them, however deep (merges forward chains, so few rounds).
      const people = [root];
      for (let frontier = [root]; frontier.length; ) {
        const next = await tx.profile.findMany({
          where: { workspaceId, mergedIntoId: { in: frontier }, id: { notIn: people } },
          select: { id: true },
        });
        frontier = next.map((p) => p.id);
        people.push(...frontier);
      }
      const identifiers = await tx.identifier.findMany({
        where: { workspaceId, profileId: { in: people } },
        select: { id: true, type: true, hash: true, shared: true, valueEnc: true },
      });
      // A shared device stays with the other person who used it (R5b), pointing at their latest use (R7).
      const erased: typeof identifiers = [];
      for (const i of identifiers) {
        const other =
          i.type === "device" && i.shared
            ? await tx.event.findFirst({
                where: {
                  workspaceId,
                  identityHashes: { has: identifierKey(i.type, i.hash) },
                  AND: [{ profileId: { not: null } }, { profileId: { notIn: people } }],
                },
                orderBy: { occurredAt: "desc" },
                select: { profileId: true },
              })
            : null;
        if (other?.profileId) {
          await tx.identifier.update({ where: { id: i.id }, data: { profileId: other.profileId } });
        } else erased.push(i);
      }
      const keys = erased.map((i) => identifierKey(i.type, i.hash));
      const hashes = erased.map((i) => i.hash);
      const deviceMarks = [...keys, ...hashes];
      const theirs = { workspaceId, profileId: { in: people } };

      await tx.message.deleteMany({ where: theirs });
      await tx.conversation.deleteMany({ where: theirs });
      await tx.event.deleteMany({ where: theirs });
      await tx.identityLink.deleteMany({
        where: { workspaceId, OR: [{ profileId: { in: people } }, { hash: { in: hashes } }] },
      });
      await tx.profileMerge.deleteMany({
        where: {
          workspaceId,
          OR: [
            { fromProfileId: { in: people } },
            { intoProfileId: { in: people } },
            ...hashes.map((hash) => ({ identifiers: { array_contains: [{ hash }] } })),
          ],
        },
      });
      await tx.linkClick.deleteMany({
        where: { workspaceId, OR: [{ profileId: { in: people } }, { deviceHash: { in: deviceMarks } }] },
      });
      await tx.trackedLink.updateMany({ where: theirs, data: { profileId: null } });
      await tx.emailSend.deleteMany({ where: theirs });
      await tx.consentRecord.deleteMany({
        where: { workspaceId, OR: [{ profileId: { in: people } }, { deviceHash: { in: deviceMarks } }] },
      });
      // Opt-outs too (P11: no row keeps their hashes): a later event with the same email is someone new (R17).
      if (erased.length)
        await tx.suppression.deleteMany({
          where: { workspaceId, OR: erased.map((i) => ({ type: i.type, hash: i.hash })) },
        });
      // Mail the app kept for them in the dev outbox (no provider configured), privacy links among it.
      const addresses = erased.flatMap((i) => {
        const value = i.type === "email" ? decryptOrNull(i.valueEnc) : null;
        return value ? [value] : [];
      });
      if (addresses.length) await tx.outboxEmail.deleteMany({ where: { workspaceId, to: { in: addresses } } });
      await tx.preferenceToken.deleteMany({ where: theirs });
      await tx.nudge.deleteMany({ where: theirs });
      await tx.outbox.deleteMany({ where: theirs });
      await tx.privacyRequest.updateMany({ where: theirs, data: { profileId: null } });
      await tx.identifier.deleteMany({ where: { workspaceId, id: { in: erased.map((i) => i.id) } } });
      // Their identifier hashes leave other people's events too (an event that carried them but was resolved
      // elsewhere, e.g. a refused merge): few rows, each keeps the rest of what it arrived with (R9).
      if (keys.length) {
        const gone = new Set(keys);
        const others = await tx.event.findMany({
          where: { workspaceId, identityHashes: { hasSome: keys } },
          select: { id: true, identityHashes: true },
        });
        for (const e of others) {
          await tx.event.update({
            where: { id: e.id },
            data: { identityHashes: e.identityHashes.filter((h) => !gone.has(h)) },
          });
        }
      }
      // Webhook deliveries that named them lose their body and headers; the delivery id stays, so a replay of
      // one still stores nothing (it is no later event of theirs).
      if (keys.length) {
        await tx.webhookReceipt.updateMany({
          where: { workspaceId, identityHashes: { hasSome: keys } },
          data: { bodyEnc: "", headers: {}, identityHashes: [] },
        });
      }
      await tx.profile.deleteMany({ where: { workspaceId, id: { in: people } } });
      await tx.erasureLog.create({
        data: { id: uuidv7(), workspaceId, profileIds: people, hashes: keys.map(erasureDigest) },
      });
      if (options.via)
        await recordCompletedRequest(tx, workspaceId, { kind: "erasure", via: options.via, profileId: null });
      return true;
    }, PRISMA_TX),
  );
}

/**
 * What the ErasureLog keeps of an identifier (`type:hash`): a one-way digest of it. A restored backup computes
 * the same digest for each of its identifiers to find the people erased since the backup (P16).
 */
export const erasureDigest = (key: string) => createHash("sha256").update(`onethread-erasure:${key}`).digest("hex");
