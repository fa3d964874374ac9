import type { Db } from "../db/client.ts";
import { type Sql, sqlOf, sqlTransaction } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";

/**
 * People per transaction: each removal is a handful of short statements over these ids. The embedded database
 * serves nothing else while a transaction is open (decision 001), so its transactions are smaller.
 */
const chunkSize = () => (process.env.ONETHREAD_EMBEDDED === "1" ? 100 : 500);

/**
 * The retention purge's second half (P14): of the candidate profiles, the live ones left with no event are
 * removed with everything that is theirs — as erasure does (lib/privacy/erase-profile.ts), set-based over a
 * chunk of people: the profiles merged into them, identifiers (a shared device moves to the other person who
 * used it), rungs and rollups (by cascade; the rollup triggers follow), threads and messages, identity log and
 * merge records, link clicks, email sends, consent records, nudges and pending sends; tracked links and privacy
 * requests keep no pointer at them. Suppressions stay: an opt-out must outlive the data it was about (R18).
 *
 * Locks: the people's profile rows in id order with SKIP LOCKED, so the purge never waits for ingestion (and
 * never deadlocks with it): someone busy now is not empty for long, and tomorrow's run looks again. Ingestion
 * locks a profile before it writes to it, so once we hold the lock and see no event, none can arrive.
 * Returns how many people (live profiles) were removed.
 */
export async function removeEmptyPeople(db: Db, workspaceId: string, candidates: readonly string[]): Promise<number> {
  let removed = 0;
  const size = chunkSize();
  for (let i = 0; i < candidates.length; i += size) {
    const chunk = candidates.slice(i, i + size);
    const empty = await emptyOf(sqlOf(db), workspaceId, chunk);
    if (empty.length)
      removed += await withRetry(() => sqlTransaction(db, (tx) => removeLocked(tx, workspaceId, empty)));
  }
  return removed;
}

/** The live profiles among `ids` that hold no event. */
async function emptyOf(db: Sql, workspaceId: string, ids: readonly string[]) {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT p.id::text FROM unnest($2::uuid[]) AS x(id)
     JOIN "Profile" p ON p.id = x.id AND p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL
     WHERE NOT EXISTS (SELECT 1 FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = p.id)`,
    workspaceId,
    ids,
  );
  return rows.map((r) => r.id);
}

async function removeLocked(tx: Sql, workspaceId: string, roots: string[]) {
  const locked = await tx.$queryRawUnsafe<{ id: string; mergedIntoId: string | null }[]>(
    `SELECT id::text, "mergedIntoId"::text AS "mergedIntoId" FROM "Profile"
     WHERE "workspaceId" = $1::uuid AND (id = ANY($2::uuid[]) OR "mergedIntoId" = ANY($2::uuid[]))
     ORDER BY id FOR UPDATE SKIP LOCKED`,
    workspaceId,
    roots,
  );
  // Under the locks: every profile of these people (locked or not), and who holds an event by now.
  const everyone = await tx.$queryRawUnsafe<{ id: string; mergedIntoId: string | null; busy: boolean }[]>(
    `SELECT p.id::text, p."mergedIntoId"::text AS "mergedIntoId",
       EXISTS (SELECT 1 FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = p.id) AS busy
     FROM "Profile" p WHERE p."workspaceId" = $1::uuid AND (p.id = ANY($2::uuid[]) OR p."mergedIntoId" = ANY($2::uuid[]))`,
    workspaceId,
    roots,
  );
  const mine = new Set(locked.map((r) => r.id));
  const byRoot = new Map<string, string[]>();
  for (const p of everyone) {
    const root = p.mergedIntoId ?? p.id;
    byRoot.set(root, [...(byRoot.get(root) ?? []), p.id]);
  }
  const busy = new Set(everyone.filter((p) => p.busy).map((p) => p.id));
  const live = new Set(everyone.filter((p) => !p.mergedIntoId).map((p) => p.id));
  const gone = roots.filter(
    (root) => live.has(root) && (byRoot.get(root) ?? []).every((id) => mine.has(id) && !busy.has(id)),
  );
  if (!gone.length) return 0;
  const people = gone.flatMap((root) => byRoot.get(root) ?? []);

  const identifiers = await tx.$queryRawUnsafe<{ id: string; type: string; hash: string; other: string | null }[]>(
    `SELECT i.id::text, i.type::text AS type, i.hash, o."profileId"::text AS other
     FROM "Identifier" i
     LEFT JOIN LATERAL (
       SELECT e."profileId" FROM "Event" e
       WHERE i.type = 'device' AND i.shared AND e."workspaceId" = $1::uuid AND e."identityHashes" @> ARRAY['device:' || i.hash]
         AND e."profileId" IS NOT NULL AND NOT (e."profileId" = ANY($2::uuid[]))
       ORDER BY e."occurredAt" DESC LIMIT 1) o ON true
     WHERE i."workspaceId" = $1::uuid AND i."profileId" = ANY($2::uuid[])`,
    workspaceId,
    people,
  );
  // A shared device stays with the other person who used it (R5b), pointing at their latest use (R7).
  const moved = identifiers.filter((i) => i.other);
  if (moved.length) {
    await tx.$executeRawUnsafe(
      `UPDATE "Identifier" i SET "profileId" = x.other FROM unnest($2::uuid[], $3::uuid[]) AS x(id, other)
       WHERE i.id = x.id AND i."workspaceId" = $1::uuid`,
      workspaceId,
      moved.map((i) => i.id),
      moved.map((i) => i.other),
    );
  }
  const erased = identifiers.filter((i) => !i.other);
  const ids = erased.map((i) => i.id);
  const devices = erased.filter((i) => i.type === "device").flatMap((i) => [i.hash, `device:${i.hash}`]);
  const w = workspaceId;
  const statements: [string, unknown[]][] = [
    [`DELETE FROM "Message" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`, [w, people]],
    [`DELETE FROM "Conversation" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`, [w, people]],
    [
      `DELETE FROM "IdentityLink" WHERE "workspaceId" = $1::uuid AND ("profileId" = ANY($2::uuid[]) OR "identifierId" = ANY($3::uuid[]))`,
      [w, people, ids],
    ],
    [
      `DELETE FROM "ProfileMerge" WHERE "workspaceId" = $1::uuid AND ("fromProfileId" = ANY($2::uuid[]) OR "intoProfileId" = ANY($2::uuid[]))`,
      [w, people],
    ],
    [
      `DELETE FROM "LinkClick" WHERE "workspaceId" = $1::uuid AND ("profileId" = ANY($2::uuid[]) OR "deviceHash" = ANY($3::text[]))`,
      [w, people, devices],
    ],
    [
      `UPDATE "TrackedLink" SET "profileId" = NULL WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`,
      [w, people],
    ],
    [`DELETE FROM "EmailSend" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`, [w, people]],
    [
      `DELETE FROM "ConsentRecord" WHERE "workspaceId" = $1::uuid AND ("profileId" = ANY($2::uuid[]) OR "deviceHash" = ANY($3::text[]))`,
      [w, people, devices],
    ],
    [`DELETE FROM "Nudge" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`, [w, people]],
    [`DELETE FROM "Outbox" WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`, [w, people]],
    [
      `UPDATE "PrivacyRequest" SET "profileId" = NULL WHERE "workspaceId" = $1::uuid AND "profileId" = ANY($2::uuid[])`,
      [w, people],
    ],
    [`DELETE FROM "Identifier" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[])`, [w, ids]],
    // Rungs and rollups go by cascade; the rollup triggers keep the report tables right (decision 011).
    [`DELETE FROM "Profile" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[])`, [w, people]],
  ];
  for (const [sql, params] of statements) await tx.$executeRawUnsafe(sql, ...params);
  return gone.length;
}
