import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomFillSync } from "node:crypto";
import { env, resetEnvCache } from "../config/env.ts";

/**
 * Keys for identifiers and readable personal data (PRIVACY.md P13). Everything derives from MASTER_KEY in
 * the environment; the database holds only a per-workspace salt. Encrypted values carry the id of the key
 * that sealed them, so MASTER_KEY can rotate with MASTER_KEY_PREVIOUS kept for reading.
 */
function derive(master: string, salt: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", master, salt, `onethread:${purpose}`, 32));
}

const keyId = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 8);

const hashKeys = new Map<string, Buffer>();

/** HMAC-SHA-256 of a normalised identifier under the workspace's key (R3), hex. */
export function hashIdentifier(workspaceSalt: string, type: string, normalised: string): string {
  let key = hashKeys.get(workspaceSalt);
  if (!key) {
    key = derive(env().MASTER_KEY, workspaceSalt, "identifier-hash");
    hashKeys.set(workspaceSalt, key);
  }
  return createHmac("sha256", key).update(`${type}:${normalised}`).digest("hex");
}

const nameKeys = new Map<string, Buffer>();

/**
 * A word (or word prefix) of a person's name as the blind index stores it (docs/decisions/012): HMAC-SHA-256
 * under a key of its own per workspace, cut to 64 bits — a search matches on it without decrypting names.
 */
export function hashNameToken(workspaceSalt: string, token: string): string {
  let key = nameKeys.get(workspaceSalt);
  if (!key) {
    key = derive(env().MASTER_KEY, workspaceSalt, "name-search");
    nameKeys.set(workspaceSalt, key);
  }
  return createHmac("sha256", key).update(token).digest("hex").slice(0, 16);
}

const signing = new Map<string, Buffer[]>();

/**
 * The keys that sign tokens for one purpose (lib/crypto/signed-token.ts): the current one first, then the one
 * of MASTER_KEY_PREVIOUS while rotating, so links handed out before a rotation keep working until they expire.
 */
export function signingKeys(purpose: string): Buffer[] {
  let keys = signing.get(purpose);
  if (!keys) {
    const e = env();
    keys = [derive(e.MASTER_KEY, "", `signed-token:${purpose}`)];
    if (e.MASTER_KEY_PREVIOUS) keys.push(derive(e.MASTER_KEY_PREVIOUS, "", `signed-token:${purpose}`));
    signing.set(purpose, keys);
  }
  return keys;
}

interface SealingKey {
  id: string;
  key: Buffer;
}

let sealing: { current: SealingKey; all: Map<string, Buffer> } | undefined;

function sealingKeys() {
  if (!sealing) {
    const e = env();
    const current = derive(e.MASTER_KEY, "", "field-encryption");
    const all = new Map([[keyId(current), current]]);
    if (e.MASTER_KEY_PREVIOUS) {
      const previous = derive(e.MASTER_KEY_PREVIOUS, "", "field-encryption");
      all.set(keyId(previous), previous);
    }
    sealing = { current: { id: keyId(current), key: current }, all };
  }
  return sealing;
}

/**
 * Fresh 96-bit IVs from the CSPRNG, drawn 256 at a time: one `randomBytes(12)` call per seal cost 2.2 µs,
 * the share of a refill 0.2 µs, and ingestion seals two values per new visitor. Each IV is used once.
 */
const ivPool = Buffer.alloc(12 * 256);
let ivOffset = ivPool.length;
function freshIv(): Buffer {
  if (ivOffset >= ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + 12));
  ivOffset += 12;
  return iv;
}

/** AES-256-GCM: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). */
export function encrypt(plaintext: string): string {
  const { current } = sealingKeys();
  const iv = freshIv();
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", current.id, iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(".");
}

export function decrypt(sealed: string): string {
  const [version, id, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !id || !iv || !tag || body === undefined) throw new Error("Not an encrypted value.");
  const key = sealingKeys().all.get(id);
  if (!key) throw new Error(`The key ${id} that encrypted this value is not configured (MASTER_KEY_PREVIOUS?).`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

export const decryptOrNull = (sealed: string | null | undefined) => (sealed ? decrypt(sealed) : null);

/** For tests and key rotation: forget derived keys so a changed environment takes effect. */
export function resetKeyCache() {
  resetEnvCache();
  hashKeys.clear();
  nameKeys.clear();
  signing.clear();
  sealing = undefined;
}
