import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(16 * 256);
let offset = pool.length;
let lastMs = -1;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence, then random bits. Raw-SQL inserts on
 * the hot path need ids made here, since Prisma's `@default(uuid(7))` is applied by the client, not by the
 * database. Ids made by this process only grow (RFC 9562 §6.2, method 1: the sequence starts at a random
 * value each millisecond and counts up within it), so rows sorted by (time, id) — events of one batch that
 * share a millisecond, say — keep the order they were made in.
 */
export function uuidv7(ms = Date.now()): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const b = Buffer.from(pool.subarray(offset, offset + 16));
  offset += 16;
  let t = Math.max(0, Math.floor(ms)) % 2 ** 48;
  const random = (((b[6] ?? 0) << 8) | (b[7] ?? 0)) & 0x7ff;
  let seq = random; // an id for a time well in the past: random, and the count of the present left alone
  if (t > lastMs) {
    lastMs = t;
    sequence = seq = random; // leaves at least 2,048 steps in this millisecond
  } else if (lastMs - t <= 10) {
    // The same millisecond, or a clock a little behind the milliseconds borrowed below: keep counting.
    t = lastMs;
    seq = ++sequence;
    if (sequence > 0xfff) {
      lastMs = t = t + 1; // more than 2,048 ids in one millisecond: borrow the next one
      sequence = seq = 0;
    }
  }
  b.writeUIntBE(t, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path segment can be an id at all: anything else is answered 404 before touching the database. */
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID_RE.test(value);
