import { randomBytes } from "node:crypto";
import { appUrl } from "../../config/env.ts";
import { openSignedToken, signToken } from "../../crypto/signed-token.ts";
import { sha256Hex } from "../../crypto/tokens.ts";
import type { Db, Tx } from "../../db/client.ts";
import { uuidv7 } from "../../db/uuidv7.ts";

/** How long the emailed verification link works (P9), once. */
export const LINK_MINUTES = 30;
/** How long an email footer's link works: about as long as people keep and reread a mail. */
export const FOOTER_DAYS = 365;

const SIGNING_PURPOSE = "privacy-preferences";
const VERSION = 1;

/** `link`: emailed after the visitor typed their address (single-use, 30 min). `footer`: in every email. */
export type PreferencesPurpose = "link" | "footer";
const PURPOSE_BYTE: Record<PreferencesPurpose, number> = { link: 1, footer: 2 };

export interface PreferencesToken {
  purpose: PreferencesPurpose;
  workspaceId: string;
  profileId: string;
  expiresAt: Date;
}

const uuidBytes = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex");
const uuidOf = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/**
 * A signed token naming the workspace, the person and the purpose, with its expiry: 46 bytes (version,
 * purpose, two uuids, expiry in seconds, 8 random bytes so no two are alike) and a 128-bit tag, 83 characters.
 */
export function signPreferencesToken(t: PreferencesToken): string {
  const payload = Buffer.alloc(46);
  payload.writeUInt8(VERSION, 0);
  payload.writeUInt8(PURPOSE_BYTE[t.purpose], 1);
  uuidBytes(t.workspaceId).copy(payload, 2);
  uuidBytes(t.profileId).copy(payload, 18);
  payload.writeUInt32BE(Math.ceil(t.expiresAt.getTime() / 1000), 34);
  randomBytes(8).copy(payload, 38);
  return signToken(SIGNING_PURPOSE, payload);
}

/** What a token says, when this server signed it (expired or not: the caller tells the visitor which). */
export function readPreferencesToken(token: string): PreferencesToken | null {
  const payload = openSignedToken(SIGNING_PURPOSE, token, 200);
  if (payload?.length !== 46 || payload.readUInt8(0) !== VERSION) return null;
  const byte = payload.readUInt8(1);
  const purpose = (Object.keys(PURPOSE_BYTE) as PreferencesPurpose[]).find((p) => PURPOSE_BYTE[p] === byte);
  if (!purpose) return null;
  return {
    purpose,
    workspaceId: uuidOf(payload.subarray(2, 18)),
    profileId: uuidOf(payload.subarray(18, 34)),
    expiresAt: new Date(payload.readUInt32BE(34) * 1000),
  };
}

export const preferencesUrlOf = (token: string) => `${appUrl()}/privacy/preferences?t=${token}`;

/**
 * The link of an email's footer (lib/emails): this person's privacy page at this business, for a year, as
 * often as they like. It opens their choices; seeing and downloading everything or deleting it asks for a
 * fresh emailed link first (docs/decisions/015), since a mail can be forwarded.
 */
export function preferencesFooterUrl(workspaceId: string, profileId: string, now = new Date()): string {
  const expiresAt = new Date(now.getTime() + FOOTER_DAYS * 86_400_000);
  return preferencesUrlOf(signPreferencesToken({ purpose: "footer", workspaceId, profileId, expiresAt }));
}

/**
 * A verification link for the page: signed, and recorded by its hash so it opens once (consumed in
 * open-preferences.ts). `identifierId`: the identifier the visitor typed, shown to them unmasked.
 */
export async function issuePreferencesLink(
  db: Db | Tx,
  workspaceId: string,
  profileId: string,
  identifierId: string | null,
  now = new Date(),
): Promise<{ url: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + LINK_MINUTES * 60_000);
  const token = signPreferencesToken({ purpose: "link", workspaceId, profileId, expiresAt });
  await db.preferenceToken.create({
    data: {
      id: uuidv7(),
      workspaceId,
      profileId,
      kind: "link",
      scope: "full",
      tokenHash: sha256Hex(token),
      identifierId,
      expiresAt,
      createdAt: now,
    },
  });
  return { url: preferencesUrlOf(token), expiresAt };
}
