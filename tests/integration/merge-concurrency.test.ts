import { expect, test } from "vitest";
import { POST as eventsPost } from "../../app/api/v1/events/route.ts";
import { POST as mergePost } from "../../app/api/v1/profiles/[id]/merge/route.ts";
import { resolveProfileId } from "../../lib/identity/resolve-profile-id.ts";
import { call, liveProfiles } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

const at = (n: number) => new Date(Date.parse("2026-11-03T10:00:00Z") + n * 1000).toISOString();

test("R8: 30 pairs of reverse manual merges at once (A→B with B→A, chained) answer 200 and lose no event or identifier", async () => {
  const w = await testWorkspace(db);
  // 10 people, each known as four profiles: two by email (web, with a device), two by phone (SMS thread).
  const GROUPS = 10;
  const groups: string[][] = [];
  for (let g = 0; g < GROUPS; g++) {
    const results = await w.ingest(
      [0, 1].flatMap((k) => {
        const n = 2 * g + k;
        return [
          ev(`a${n}`, "web", "form_submit", at(2 * n), { deviceId: `d_a${n}`, email: `a${n}@example.com` }),
          ev(
            `b${n}`,
            "channel",
            "message_in",
            at(2 * n + 1),
            { phone: `+1 805 555 ${String(1000 + n)}` },
            { channel: "sms", properties: { body: `hello ${n}` } },
          ),
        ];
      }),
    );
    groups.push(results.map((r) => r.profileId!));
  }
  const merge = (id: string, other: string) =>
    call(mergePost, "/api/v1/profiles/x/merge", { key: w.apiKey, params: { id }, body: { otherProfileId: other } });

  // Three reverse pairs per person, a0⇄b0, a1⇄b1 and b0⇄a1, all at once: 60 requests over chains of merges.
  const requests = groups.flatMap(([a0, b0, a1, b1]) =>
    [
      [a0!, b0!],
      [a1!, b1!],
      [b0!, a1!],
    ].flatMap(([x, y]) => [merge(x!, y!), merge(y!, x!)]),
  );
  const responses = await Promise.all(requests);
  expect(responses.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.text}`))).toEqual(Array(60).fill(200));

  const live = await liveProfiles(db, w.workspaceId);
  expect(live).toHaveLength(GROUPS);
  for (const [g, ids] of groups.entries()) {
    // Each of the person's four ids, and every survivor a request of theirs answered, now stands for one profile.
    const survivor = await resolveProfileId(db, w.workspaceId, ids[0]!);
    for (const id of ids) expect(await resolveProfileId(db, w.workspaceId, id)).toBe(survivor);
    for (const r of responses.slice(6 * g, 6 * g + 6)) {
      expect(await resolveProfileId(db, w.workspaceId, r.json.id)).toBe(survivor);
    }
    const person = live.find((p) => p.id === survivor)!;
    expect(person.eventCount).toBe(4);
    expect(await db.event.count({ where: { profileId: person.id } })).toBe(4);
    expect(await db.message.count({ where: { profileId: person.id } })).toBe(2);
    expect(await db.conversation.count({ where: { profileId: person.id } })).toBe(1);
    const types = await db.identifier.findMany({ where: { profileId: person.id }, select: { type: true } });
    expect(types.map((t) => t.type).sort()).toEqual(["device", "device", "email", "email", "phone", "phone"]);
  }
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(4 * GROUPS);
  expect(await db.identifier.count({ where: { workspaceId: w.workspaceId } })).toBe(6 * GROUPS);
  // Three merges recorded per person: a request that found the two already one person records nothing.
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId, kind: "manual" } })).toBe(3 * GROUPS);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("R8: manual merges racing ingestion's own merges of the same people answer 200 and lose nothing", async () => {
  const w = await testWorkspace(db);
  const PEOPLE = 8;
  const people: { a: string; b: string }[] = [];
  for (let n = 0; n < PEOPLE; n++) {
    const [a, b] = await w.ingest([
      ev(`ia${n}`, "web", "form_submit", at(2 * n), { deviceId: `d_ia${n}`, email: `ia${n}@example.com` }),
      ev(
        `ib${n}`,
        "channel",
        "message_in",
        at(2 * n + 1),
        { phone: `+1 805 555 ${String(2000 + n)}` },
        { channel: "sms", properties: { body: `hi ${n}` } },
      ),
    ]);
    people.push({ a: a!.profileId!, b: b!.profileId! });
  }
  const merge = (id: string, other: string) =>
    call(mergePost, "/api/v1/profiles/x/merge", { key: w.apiKey, params: { id }, body: { otherProfileId: other } });
  // The server's own evidence that a and b are one person (R6), sent while owners merge them by hand both ways.
  const evidence = (n: number, k: number) =>
    call(eventsPost, "/api/v1/events", {
      key: w.apiKey,
      body: {
        events: [
          ev(`ie${n}_${k}`, "agent", "agent_action", at(100 + k), {
            email: `ia${n}@example.com`,
            phone: `+1 805 555 ${String(2000 + n)}`,
          }),
        ],
      },
    });
  const responses = await Promise.all(
    people.flatMap(({ a, b }, n) => [merge(a, b), evidence(n, 0), merge(b, a), evidence(n, 1)]),
  );
  expect(responses.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.text}`))).toEqual(Array(4 * PEOPLE).fill(200));

  const live = await liveProfiles(db, w.workspaceId);
  expect(live).toHaveLength(PEOPLE);
  for (const p of live) {
    expect(await db.event.count({ where: { profileId: p.id } })).toBe(4);
    expect(await db.identifier.count({ where: { profileId: p.id } })).toBe(3);
  }
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(4 * PEOPLE);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});
