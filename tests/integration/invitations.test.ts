import { expect, test, vi } from "vitest";
import { acceptInvitation, findInvitation, inviteMember } from "../../lib/auth/invitations.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { AppError } from "../../lib/errors.ts";
import { createWorkspace } from "../../lib/workspaces/create-workspace.ts";
import { useTestDb } from "../support/db.ts";

const { db } = await useTestDb();
const acme = await createWorkspace(db, { name: "Acme", ownerEmail: "owner@acme.test", password: "password123" });
const workspace = { id: acme.workspaceId, name: "Acme" };
const inviter = { id: acme.ownerId, email: acme.ownerEmail };

let n = 0;
const newUser = (email = `person${++n}@example.test`) =>
  db.user.create({ data: { email }, select: { id: true, email: true } });

/** Invites `email` and returns the token from the emailed link (the only place it exists in clear). */
async function invite(email: string, role: "owner" | "member" = "member") {
  const invitation = await inviteMember(db, workspace, inviter, { email, role });
  const mail = await db.outboxEmail.findFirstOrThrow({
    where: { to: email.toLowerCase() },
    orderBy: { createdAt: "desc" },
  });
  const token = /\/invite\/([\w-]+)/.exec(mail.text)?.[1] ?? "";
  return { invitation, mail, token };
}

const rejection = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
};

test("an invitation is mailed with a one-time link; only the token's hash is stored", async () => {
  const { invitation, mail, token } = await invite("New.Person@Example.test");
  expect(invitation.email).toBe("new.person@example.test");
  expect(mail.subject).toBe("You're invited to Acme on OneThread");
  expect(mail.workspaceId).toBe(acme.workspaceId);
  expect(mail.html).toContain(`/invite/${token}`);
  expect(token.length).toBeGreaterThanOrEqual(24);
  const row = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
  expect(row.tokenHash).not.toContain(token);
  expect((await findInvitation(db, token)).workspace.slug).toBe(acme.slug);
});

test("accepting as the invited address makes a membership with the invited role; the link then stops working", async () => {
  const user = await newUser("accept.me@example.test");
  const { token } = await invite("accept.me@example.test", "owner");
  const ws = await acceptInvitation(db, token, user);
  expect(ws.id).toBe(acme.workspaceId);
  const membership = await db.membership.findUniqueOrThrow({
    where: { userId_workspaceId: { userId: user.id, workspaceId: acme.workspaceId } },
  });
  expect(membership.role).toBe("owner");
  expect((await rejection(acceptInvitation(db, token, user))).status).toBe(404);
  expect((await rejection(findInvitation(db, token))).status).toBe(404);
});

test("someone else holding the link cannot accept it: 403, and nothing changes", async () => {
  const { token } = await invite("meant.for@example.test");
  const stranger = await newUser();
  const e = await rejection(acceptInvitation(db, token, stranger));
  expect(e.status).toBe(403);
  expect(e.message).toContain("meant.for@example.test");
  expect(await db.membership.count({ where: { userId: stranger.id } })).toBe(0);
  // The rightful person can still use it.
  const rightful = await newUser("meant.for@example.test");
  await acceptInvitation(db, token, { ...rightful, email: "Meant.For@example.test" });
  expect(await db.membership.count({ where: { userId: rightful.id, workspaceId: acme.workspaceId } })).toBe(1);
});

test("an expired invitation is refused with 404 and makes no membership", async () => {
  const user = await newUser("too.late@example.test");
  const { invitation, token } = await invite("too.late@example.test");
  await db.invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const e = await rejection(acceptInvitation(db, token, user));
  expect(e.status).toBe(404);
  expect(e.message).toContain("expired");
  expect(await db.membership.count({ where: { userId: user.id } })).toBe(0);
});

test("an unknown token is a 404", async () => {
  expect((await rejection(findInvitation(db, "no-such-token"))).status).toBe(404);
});

test("inviting an existing member is a 409 conflict and sends no mail", async () => {
  const before = await db.outboxEmail.count();
  const e = await rejection(inviteMember(db, workspace, inviter, { email: "OWNER@acme.test" }));
  expect(e.status).toBe(409);
  expect(await db.outboxEmail.count()).toBe(before);
});

test("a bad email address is refused by the schema", async () => {
  await expect(inviteMember(db, workspace, inviter, { email: "not an email" })).rejects.toThrow("must be an email");
});

test("a production server without email refuses the invitation with a clear 503 and keeps no invitation that was never sent", async () => {
  (process.env as Record<string, string>).NODE_ENV = "production";
  resetEnvCache();
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const e = await rejection(inviteMember(db, workspace, inviter, { email: "unsent@example.test" }));
    expect(e).toMatchObject({ code: "service_unavailable", status: 503 });
    expect(e.message).toContain("RESEND_API_KEY");
    expect(await db.invitation.count({ where: { email: "unsent@example.test" } })).toBe(0);
  } finally {
    logged.mockRestore();
    (process.env as Record<string, string>).NODE_ENV = "test";
    resetEnvCache();
  }
});
