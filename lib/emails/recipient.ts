import { decrypt, decryptOrNull } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";

export interface Recipient {
  address: string;
  /** The address's keyed hash (R3), as its Identifier holds it. */
  hash: string;
}

/**
 * Where a person's mail goes: the primary email the person's page shows (Profile.emailEnc) while it is still
 * one of their identifiers, else the email of theirs seen most recently. None: 422 `no_email`.
 */
export async function recipientOf(db: Db, workspaceId: string, profileId: string): Promise<Recipient> {
  const [profile, emails] = await Promise.all([
    db.profile.findFirst({ where: { id: profileId, workspaceId }, select: { emailEnc: true } }),
    db.identifier.findMany({
      where: { workspaceId, profileId, type: "email", valueEnc: { not: null } },
      orderBy: { lastSeenAt: "desc" },
      take: 20,
      select: { hash: true, valueEnc: true },
    }),
  ]);
  const readable = emails.map((e) => ({ address: decrypt(e.valueEnc as string), hash: e.hash }));
  const primary = decryptOrNull(profile?.emailEnc)?.trim().toLowerCase();
  const chosen = readable.find((e) => e.address.toLowerCase() === primary) ?? readable[0];
  if (!chosen) throw new AppError("no_email", 422, "This person has no email address to send to; nothing was sent.");
  return chosen;
}
