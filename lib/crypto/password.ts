import { randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";

const scryptAsync = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

/**
 * At most this many scrypt computations at once; the others wait their turn here. crypto.scrypt already runs
 * off the main thread, on libuv's pool (4 threads by default), but 48 logins at once filled that pool — and
 * the file reads of every other request (/api/health reads the migrations folder) queued behind them, while
 * four 32 MiB hashes fought two cores: /api/health stalled for seconds. One slot per spare core, at most two,
 * leaves pool threads and a core for everything else.
 */
const SLOTS = Math.max(1, Math.min(2, availableParallelism() - 1));
let busy = 0;
const waiting: (() => void)[] = [];

async function scrypt(pw: string, salt: Buffer, len: number, opts: object): Promise<Buffer> {
  if (busy < SLOTS) busy++;
  else await new Promise<void>((resume) => waiting.push(resume));
  try {
    return await scryptAsync(pw, salt, len, opts);
  } finally {
    // Hand the slot straight to the next in line, or give it back.
    const next = waiting.shift();
    if (next) next();
    else busy--;
  }
}
// scrypt with N=2^15, r=8, p=1 (OWASP's recommended minimum is N=2^17 with 64 MiB; 2^15 keeps login
// under ~100 ms on two cores while staying memory-hard). Parameters are stored with the hash.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 64;
const MAXMEM = 128 * N * R * 2;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 128 * Number(n) * Number(r) * 2,
  });
  return timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Checks a password against no account: the same scrypt work as a real check, always false. Used for unknown
 * addresses so a wrong password takes as long for them as for a real owner (timing would tell who has an account).
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(24).toString("base64url"));
  await verifyPassword(password, await dummy);
  return false;
}
