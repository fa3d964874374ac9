import { expect, test } from "vitest";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { splitProfile } from "../../lib/identity/split-profile.ts";
import { identityContext } from "../../lib/ingest/load-workspace.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();
const at = (h: number) => new Date(Date.parse("2026-11-05T10:00:00Z") + h * 3_600_000).toISOString();
const sms = (id: string, h: number, identity: Record<string, string>, body: string) =>
  ev(id, "channel", "message_in", at(h), identity, { channel: "sms", properties: { body } });

test("R16 + R12: a split where both sides stand on rung 4 gives the split-off side the next customer number; its messages get their own thread", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([
    ev("a1", "webhook", "account_created", at(0), { accountId: "acct_a", phone: "+1 805 555 0140" }),
  ]);
  await w.ingest([
    sms("a2", 1, { phone: "+1 805 555 0140" }, "from a, early"),
    sms("a3", 5, { phone: "+1 805 555 0140" }, "from a, late"),
  ]);
  const [b] = await w.ingest([ev("b1", "webhook", "payment_succeeded", at(2), { email: "b@example.com" })]);
  await w.ingest([sms("b2", 3, { email: "b@example.com" }, "from b")]);
  const before = await db.profile.findMany({
    where: { id: { in: [a!.profileId!, b!.profileId!] } },
    orderBy: { customerNumber: "asc" },
  });
  expect(before.map((p) => p.customerNumber)).toEqual([1, 2]);

  const survivor = await mergeProfiles(db, w.workspaceId, a!.profileId!, b!.profileId!);
  expect(survivor).toBe(a!.profileId); // the older of two numbered profiles (R6)
  expect(await db.conversation.count({ where: { profileId: survivor! } })).toBe(1);

  const ws = await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } });
  const newId = await splitProfile(db, ws, identityContext(w.ws), survivor!, [
    { type: "email", value: "B@example.com" },
  ]);
  expect(newId).toBeTruthy();
  const left = await db.profile.findUniqueOrThrow({ where: { id: survivor! } });
  const split = await db.profile.findUniqueOrThrow({ where: { id: newId! } });
  // Both sides still stand on rung 4: the survivor keeps number 1, the split-off side gets the next one (R12).
  expect(left).toMatchObject({ rung: 4, customerNumber: 1, eventCount: 3 });
  expect(split).toMatchObject({ rung: 4, customerNumber: 3, eventCount: 2 });
  expect((await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } })).customerNumberNext).toBe(4);

  // Messages follow their events into a thread of the new person; both threads span what they hold.
  const threads = await db.conversation.findMany({
    where: { workspaceId: w.workspaceId },
    include: { messages: true },
  });
  expect(threads).toHaveLength(2);
  const mine = threads.find((t) => t.profileId === newId)!;
  const kept = threads.find((t) => t.profileId === survivor)!;
  expect(mine.messages.map((m) => m.occurredAt.toISOString())).toEqual([at(3)]);
  expect(mine).toMatchObject({ channel: "sms", startedAt: new Date(at(3)), lastMessageAt: new Date(at(3)) });
  expect(kept).toMatchObject({ startedAt: new Date(at(1)), lastMessageAt: new Date(at(5)) });
  // The merge is undone; the split recorded.
  const merges = await db.profileMerge.findMany({
    where: { workspaceId: w.workspaceId },
    orderBy: { createdAt: "asc" },
  });
  expect(merges.map((m) => [m.kind, m.undoneAt !== null])).toEqual([
    ["manual", true],
    ["split", false],
  ]);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});
