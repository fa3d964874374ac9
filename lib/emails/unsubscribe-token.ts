import { openSignedToken, signToken } from "../crypto/signed-token.ts";

const SIGNING_PURPOSE = "unsubscribe";
const VERSION = 1;
const PAYLOAD_BYTES = 50;

/** What an unsubscribe link stops: marketing mail, or (a transactional mail's link) every mail of the sender. */
export type UnsubscribePurpose = "transactional" | "marketing";
/** Mail of any kind but transactional is marketing as far as opting out goes. */
export const purposeOfKind = (kind: string): UnsubscribePurpose =>
  kind === "transactional" ? "transactional" : "marketing";
const PURPOSE_BYTE: Record<UnsubscribePurpose, number> = { transactional: 1, marketing: 2 };

export interface UnsubscribeToken {
  workspaceId: string;
  /** The mail the link came in: it holds the keyed hash of the address it went to. */
  emailSendId: string;
  /** The person the mail went to, when known when it was sent (a merge may have moved them since). */
  profileId: string | null;
  purpose: UnsubscribePurpose;
}

const NO_PROFILE = Buffer.alloc(16);
const uuidBytes = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex");
const uuidOf = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/**
 * P8: the token of a mail's one-click unsubscribe link (`/u/{token}`) names the workspace, the mail, the person
 * and the purpose, signed with a key derived from MASTER_KEY for unsubscribing only (lib/crypto/signed-token.ts):
 * 50 bytes (version, purpose, three uuids) and a 128-bit tag, 88 characters. It does not expire — a mail is
 * reread for years and RFC 8058 asks the link to keep working — but it stands for a stored mail: once the
 * person is erased, the mail's row is gone and so is what the link could act on.
 */
export function signUnsubscribeToken(t: UnsubscribeToken): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  payload.writeUInt8(PURPOSE_BYTE[t.purpose], 1);
  uuidBytes(t.workspaceId).copy(payload, 2);
  uuidBytes(t.emailSendId).copy(payload, 18);
  (t.profileId ? uuidBytes(t.profileId) : NO_PROFILE).copy(payload, 34);
  return signToken(SIGNING_PURPOSE, payload);
}

/** What a token says when this server signed it for unsubscribing; null when forged, garbled or another kind. */
export function readUnsubscribeToken(token: string): UnsubscribeToken | null {
  if (typeof token !== "string") return null;
  const payload = openSignedToken(SIGNING_PURPOSE, token, 120);
  if (payload?.length !== PAYLOAD_BYTES || payload.readUInt8(0) !== VERSION) return null;
  const byte = payload.readUInt8(1);
  const purpose = (Object.keys(PURPOSE_BYTE) as UnsubscribePurpose[]).find((p) => PURPOSE_BYTE[p] === byte);
  if (!purpose) return null;
  const profile = payload.subarray(34, 50);
  return {
    purpose,
    workspaceId: uuidOf(payload.subarray(2, 18)),
    emailSendId: uuidOf(payload.subarray(18, 34)),
    profileId: profile.equals(NO_PROFILE) ? null : uuidOf(profile),
  };
}
