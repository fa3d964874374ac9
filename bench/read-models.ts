// `npx tsx bench/read-models.ts [--fresh]`: the customers list and the conversations read models at 100,000
// people and 1,000,000 events (a quarter of the people in a WhatsApp exchange, an eighth of them left waiting,
// one in twenty with a missed call), the rows written straight by SQL into the local Postgres (database
// "onethread_bench_read_models", kept between runs; --fresh rebuilds it), then each read timed through its
// own function, 30 runs after a warm-up (docs/decisions/012). Needs MASTER_KEY and AUTH_SECRET in the env.
import { getConversation } from "../lib/conversations/get-conversation.ts";
import { countConversations, listConversations } from "../lib/conversations/list-conversations.ts";
import { encrypt } from "../lib/crypto/keys.ts";
import { createDb } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { listPeople } from "../lib/people/list-people.ts";
import { nameTokens } from "../lib/people/person-name.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { urlFor, withAdmin } from "../tests/support/postgres.ts";

const name = "onethread_bench_read_models";
const fresh = process.argv.includes("--fresh");
const url = urlFor(name);
if (fresh) {
  await withAdmin((a) => a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  await withAdmin((a) => a.query(`CREATE DATABASE "${name}"`));
  await migrate(url);
}
const db = createDb(url, { poolMax: 4 });
let ws = await db.workspace.findFirst({ select: { id: true, hashSalt: true, timezone: true } });
if (!ws) {
  const created = await createWorkspace(db, { name: "Scale", ownerEmail: "scale@bench.test" });
  ws = await db.workspace.findUniqueOrThrow({
    where: { id: created.workspaceId },
    select: { id: true, hashSalt: true, timezone: true },
  });
  const names = ["Jo Rivera", ...Array.from({ length: 49 }, (_, i) => `Person${i} Family${i}`)];
  const tokens = names.map((n) => nameTokens(ws!.hashSalt, n));
  const sealed = encrypt("Somebody");
  const t0 = performance.now();
  await db.$executeRawUnsafe(
    `INSERT INTO "Profile" (id, "workspaceId", rung, "displayName", "nameEnc", "emailEnc", "phoneEnc", "nameTokens",
       "firstSeenAt", "lastSeenAt", "eventCount", "updatedAt")
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1::uuid, g % 5, 'x•••@bench.test',
       $2, $2, $2, ARRAY(SELECT jsonb_array_elements_text(($3::jsonb) -> (g % 50))),
       timestamptz '2026-01-01' + g * interval '1 minute', timestamptz '2026-01-01' + g * interval '1 minute' + interval '9 hours', 10, now()
     FROM generate_series(1, 100000) g`,
    ws.id,
    sealed,
    JSON.stringify(tokens),
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "Identifier" (id, "workspaceId", "profileId", type, hash, masked)
     SELECT gen_random_uuid(), $1::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'email',
       'h' || g, 'x•••' FROM generate_series(1, 100000) g`,
    ws.id,
  );
  // Ten events a person: web views, and for a quarter of them a WhatsApp exchange (an eighth left unanswered),
  // a missed call for one in twenty.
  await db.$executeRawUnsafe(
    `INSERT INTO "Event" (id, "workspaceId", "profileId", "clientId", source, type, "occurredAt", channel, direction)
     SELECT gen_random_uuid(), $1::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(p), 12, '0'))::uuid, 'e' || g,
       x.source::"EventSource", x.type, timestamptz '2026-01-01' + p * interval '1 minute' + k * interval '1 hour',
       x.channel, x.direction
     FROM generate_series(0, 999999) g
     CROSS JOIN LATERAL (SELECT g / 10 + 1 AS p, g % 10 AS k) pk
     CROSS JOIN LATERAL (SELECT * FROM (VALUES
       (CASE WHEN p % 4 = 0 AND k = 7 THEN 'channel' WHEN p % 4 = 0 AND k = 8 THEN 'channel'
             WHEN p % 8 = 0 AND k = 9 THEN 'channel' WHEN p % 20 = 1 AND k = 9 THEN 'channel' ELSE 'web' END,
        CASE WHEN p % 4 = 0 AND k = 7 THEN 'message_in' WHEN p % 4 = 0 AND k = 8 THEN 'message_out'
             WHEN p % 8 = 0 AND k = 9 THEN 'message_in' WHEN p % 20 = 1 AND k = 9 THEN 'call_missed' ELSE 'page_view' END,
        CASE WHEN p % 4 = 0 AND k IN (7, 8) THEN 'whatsapp' WHEN p % 8 = 0 AND k = 9 THEN 'whatsapp'
             WHEN p % 20 = 1 AND k = 9 THEN 'voice' END,
        CASE WHEN p % 4 = 0 AND k = 8 THEN 'out' WHEN (p % 4 = 0 AND k = 7) OR (p % 8 = 0 AND k = 9) OR (p % 20 = 1 AND k = 9) THEN 'in' END)
     ) v(source, type, channel, direction)) x`,
    ws.id,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "Conversation" (id, "workspaceId", "profileId", channel, "startedAt", "lastMessageAt")
     SELECT gen_random_uuid(), $1::uuid, "profileId", channel, min("occurredAt"), max("occurredAt") FROM "Event"
     WHERE "workspaceId" = $1::uuid AND type IN ('message_in', 'message_out') GROUP BY "profileId", channel`,
    ws.id,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "Message" (id, "workspaceId", "conversationId", "profileId", "eventId", direction, "bodyEnc", "occurredAt")
     SELECT gen_random_uuid(), $1::uuid, c.id, e."profileId", e.id, e.direction, $2, e."occurredAt" FROM "Event" e
     JOIN "Conversation" c ON c."profileId" = e."profileId" AND c.channel = e.channel
     WHERE e."workspaceId" = $1::uuid AND e.type IN ('message_in', 'message_out')`,
    ws.id,
    encrypt("Hi, is Saturday free? We have a piano."),
  );
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  console.log(`loaded in ${Math.round(performance.now() - t0)} ms`);
}
console.log(await db.$queryRawUnsafe(`SELECT count(*)::int AS events FROM "Event"`));

async function time(label: string, fn: () => Promise<unknown>, n = 30) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(46)} p50 ${ms[Math.floor(n / 2)]!.toFixed(1)} ms  p95 ${ms[Math.floor(n * 0.95)]!.toFixed(1)} ms`,
  );
}

const w = { id: ws.id, timezone: ws.timezone };
const second = (await listPeople(db, w, {})).next ?? undefined;
await time("people: first page (last active)", () => listPeople(db, w, {}));
await time("people: second page", () => listPeople(db, w, { after: second }));
await time("people: sort newest first", () => listPeople(db, w, { sort: "new" }));
await time("people: sort by rung", () => listPeople(db, w, { sort: "rung" }));
await time("people: ?rung=2", () => listPeople(db, w, { rung: 2 }));
await time("people: search 'jo' (2,000 match)", () => listPeople(db, w, { q: "jo" }));
await time("people: search 'jo riv'", () => listPeople(db, w, { q: "jo riv" }));
await time("people: search 'person7 fam'", () => listPeople(db, w, { q: "person7 fam" }));
await time("people: search an email", () => listPeople(db, w, { q: "nobody@bench.test" }));
const conv = await listConversations(db, ws.id, { filter: "all", limit: 50 });
await time("conversations: first page", () => listConversations(db, ws.id, { filter: "all", limit: 50 }));
await time("conversations: second page", () =>
  listConversations(db, ws.id, { filter: "all", limit: 50, cursor: conv.nextCursor ?? undefined }),
);
await time("conversations: unanswered", () => listConversations(db, ws.id, { filter: "unanswered", limit: 50 }));
await time("conversations: counts", () => countConversations(db, ws.id), 10);
const talker = conv.conversations[0]!.id;
await time("conversation: one thread", () => getConversation(db, ws.id, talker, { limit: 100 }));
console.log(await countConversations(db, ws.id));
await db.$disconnect();
