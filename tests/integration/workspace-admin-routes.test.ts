import { expect, test, vi } from "vitest";
import { DELETE as revokeKey } from "../../app/api/app/[workspace]/keys/[id]/route.ts";
import { POST as createKey, GET as listKeys } from "../../app/api/app/[workspace]/keys/route.ts";
import { POST as inviteMember, GET as listMembers } from "../../app/api/app/[workspace]/members/route.ts";
import { PATCH as patchSettings } from "../../app/api/app/[workspace]/settings/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { loadWorkspaceForIngest } from "../../lib/ingest/load-workspace.ts";
import { createWorkspace } from "../../lib/workspaces/create-workspace.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";

// The owner app's routes read the next-auth session; here it is whoever the test says is logged in.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const a = await createWorkspace(db, { name: "Alpha", ownerEmail: "owner@alpha.test", timezone: "America/New_York" });
const b = await createWorkspace(db, { name: "Beta", ownerEmail: "owner@beta.test", timezone: "Asia/Tokyo" });
const ownerA: SessionUser = { id: a.ownerId, email: a.ownerEmail, name: null };
const memberA = await db.user.create({ data: { email: "member@alpha.test" }, select: { id: true, email: true } });
await db.membership.create({ data: { userId: memberA.id, workspaceId: a.workspaceId, role: "member" } });
const bKey = await db.apiKey.findFirstOrThrow({ where: { workspaceId: b.workspaceId }, select: { id: true } });

const as = (user: SessionUser | { id: string; email: string } | null) => {
  session.user = user ? { name: null, ...user } : null;
};

test("without a session every owner route answers 401 with the error envelope", async () => {
  as(null);
  const answers = await Promise.all([
    call(listKeys, `/api/app/${a.slug}/keys`, { params: { workspace: a.slug } }),
    call(createKey, `/api/app/${a.slug}/keys`, { params: { workspace: a.slug }, body: { name: "x" } }),
    call(revokeKey, `/api/app/${a.slug}/keys/${bKey.id}`, {
      method: "DELETE",
      params: { workspace: a.slug, id: bKey.id },
    }),
    call(patchSettings, `/api/app/${a.slug}/settings`, {
      method: "PATCH",
      params: { workspace: a.slug },
      body: { name: "x" },
    }),
    call(listMembers, `/api/app/${a.slug}/members`, { params: { workspace: a.slug } }),
  ]);
  for (const res of answers) {
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthorized");
  }
});

test("another workspace's settings: 404 not_found, and nothing changes there", async () => {
  as(ownerA);
  const res = await call(patchSettings, `/api/app/${b.slug}/settings`, {
    method: "PATCH",
    params: { workspace: b.slug },
    body: { name: "Taken over", timezone: "UTC" },
  });
  expect(res.status).toBe(404);
  expect(res.json.error.code).toBe("not_found");
  const beta = await db.workspace.findUniqueOrThrow({ where: { id: b.workspaceId } });
  expect(beta.name).toBe("Beta");
  expect(beta.timezone).toBe("Asia/Tokyo");
});

test("another workspace's keys: list, create and revoke are all 404, and its key stays active", async () => {
  as(ownerA);
  const list = await call(listKeys, `/api/app/${b.slug}/keys`, { params: { workspace: b.slug } });
  expect(list.status).toBe(404);
  const created = await call(createKey, `/api/app/${b.slug}/keys`, {
    params: { workspace: b.slug },
    body: { name: "x" },
  });
  expect(created.status).toBe(404);
  expect(await db.apiKey.count({ where: { workspaceId: b.workspaceId } })).toBe(1);
  // B's key id through B's slug, and through A's own slug (the id is not A's): both 404.
  for (const slug of [b.slug, a.slug]) {
    const revoked = await call(revokeKey, `/api/app/${slug}/keys/${bKey.id}`, {
      method: "DELETE",
      params: { workspace: slug, id: bKey.id },
    });
    expect(revoked.status).toBe(404);
  }
  expect((await db.apiKey.findUniqueOrThrow({ where: { id: bKey.id } })).revokedAt).toBeNull();
});

test("another workspace's members: listing and inviting are 404, and no invitation is made", async () => {
  as(ownerA);
  expect((await call(listMembers, `/api/app/${b.slug}/members`, { params: { workspace: b.slug } })).status).toBe(404);
  const invite = await call(inviteMember, `/api/app/${b.slug}/members`, {
    params: { workspace: b.slug },
    body: { email: "spy@alpha.test" },
  });
  expect(invite.status).toBe(404);
  expect(await db.invitation.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
});

test("a member (not an owner) can list keys but not create, revoke or change settings: 403", async () => {
  as(memberA);
  const own = await db.apiKey.findFirstOrThrow({ where: { workspaceId: a.workspaceId }, select: { id: true } });
  expect((await call(listKeys, `/api/app/${a.slug}/keys`, { params: { workspace: a.slug } })).status).toBe(200);
  const created = await call(createKey, `/api/app/${a.slug}/keys`, {
    params: { workspace: a.slug },
    body: { name: "x" },
  });
  expect(created.status).toBe(403);
  expect(created.json.error.code).toBe("forbidden");
  const revoked = await call(revokeKey, `/api/app/${a.slug}/keys/${own.id}`, {
    method: "DELETE",
    params: { workspace: a.slug, id: own.id },
  });
  expect(revoked.status).toBe(403);
  const settings = await call(patchSettings, `/api/app/${a.slug}/settings`, {
    method: "PATCH",
    params: { workspace: a.slug },
    body: { name: "Mine now" },
  });
  expect(settings.status).toBe(403);
  expect((await db.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).name).toBe("Alpha");
});

test("an owner creates a key (the full key once), sees it listed by prefix, and revokes it once", async () => {
  as(ownerA);
  const created = await call(createKey, `/api/app/${a.slug}/keys`, {
    params: { workspace: a.slug },
    body: { name: "Chatbot" },
  });
  expect(created.status).toBe(201);
  expect(created.json.key).toMatch(/^sk_/);
  const list = await call(listKeys, `/api/app/${a.slug}/keys`, { params: { workspace: a.slug } });
  const row = list.json.keys.find((k: { id: string }) => k.id === created.json.id);
  expect(row).toMatchObject({ name: "Chatbot", prefix: created.json.key.slice(0, 10), revokedAt: null });
  expect(list.text).not.toContain(created.json.key);
  const path = `/api/app/${a.slug}/keys/${created.json.id}`;
  const params = { workspace: a.slug, id: created.json.id };
  expect((await call(revokeKey, path, { method: "DELETE", params })).status).toBe(200);
  expect((await call(revokeKey, path, { method: "DELETE", params })).status).toBe(404);
  const nonsense = await call(revokeKey, `/api/app/${a.slug}/keys/nope`, {
    method: "DELETE",
    params: { workspace: a.slug, id: "nope" },
  });
  expect(nonsense.status).toBe(404);
});

test("a key needs a name: 400 naming the field", async () => {
  as(ownerA);
  const res = await call(createKey, `/api/app/${a.slug}/keys`, { params: { workspace: a.slug }, body: { name: " " } });
  expect(res.status).toBe(400);
  expect(res.json.error.details).toEqual([{ path: "name", message: "is required" }]);
});

test("settings: a valid change is saved; a bad time zone or country is a 400 naming the field", async () => {
  as(ownerA);
  const path = `/api/app/${a.slug}/settings`;
  const params = { workspace: a.slug };
  // Ingestion has the settings cached (as on a server that just took events)...
  expect((await loadWorkspaceForIngest(db, a.workspaceId)).timezone).toBe("America/New_York");
  const ok = await call(patchSettings, path, {
    method: "PATCH",
    params,
    body: { timezone: "Europe/Berlin", defaultCountry: "de", retentionMonths: 12 },
  });
  expect(ok.status).toBe(200);
  expect(ok.json).toMatchObject({ timezone: "Europe/Berlin", defaultCountry: "DE", retentionMonths: 12 });
  // ...and uses the new ones from the next batch on in this process.
  expect(await loadWorkspaceForIngest(db, a.workspaceId)).toMatchObject({
    timezone: "Europe/Berlin",
    defaultCountry: "DE",
  });
  const bad = await call(patchSettings, path, {
    method: "PATCH",
    params,
    body: { timezone: "Mars/Olympus", defaultCountry: "Germany" },
  });
  expect(bad.status).toBe(400);
  expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["defaultCountry", "timezone"]);
  expect((await db.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).timezone).toBe("Europe/Berlin");
});

test("the region can change while the workspace is empty, and not once it holds people (409)", async () => {
  as(ownerA);
  const path = `/api/app/${a.slug}/settings`;
  const params = { workspace: a.slug };
  expect((await call(patchSettings, path, { method: "PATCH", params, body: { region: "eu" } })).json.region).toBe("eu");
  const now = new Date();
  await db.profile.create({ data: { workspaceId: a.workspaceId, firstSeenAt: now, lastSeenAt: now } });
  const refused = await call(patchSettings, path, { method: "PATCH", params, body: { region: "us" } });
  expect(refused.status).toBe(409);
  expect(refused.json.error.message).toContain("region cannot change");
  expect((await db.workspace.findUniqueOrThrow({ where: { id: a.workspaceId } })).region).toBe("eu");
});
