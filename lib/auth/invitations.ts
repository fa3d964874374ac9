import { z } from "zod";
import { appUrl } from "../config/env.ts";
import { randomToken, sha256Hex } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { AppError, notFound } from "../errors.ts";
import { buttonEmail, sendMail } from "../mail/send-mail.ts";

export const inviteInput = z.object({
  email: z
    .email("must be an email address")
    .max(254)
    .transform((e) => e.trim().toLowerCase()),
  role: z.enum(["owner", "member"]).default("member"),
});

const INVITE_DAYS = 7;

/** Invites someone by email: a one-time token (stored hashed) in a link sent by mail. */
export async function inviteMember(
  db: Db,
  workspace: { id: string; name: string },
  inviter: { id: string; email: string },
  raw: z.input<typeof inviteInput>,
) {
  const input = inviteInput.parse(raw);
  const already = await db.membership.findFirst({
    where: { workspaceId: workspace.id, user: { email: input.email } },
    select: { id: true },
  });
  if (already) throw new AppError("conflict", 409, `${input.email} is already a member of this workspace.`);
  const token = randomToken(24);
  const invitation = await db.invitation.create({
    data: {
      workspaceId: workspace.id,
      email: input.email,
      role: input.role,
      tokenHash: sha256Hex(token),
      invitedById: inviter.id,
      expiresAt: new Date(Date.now() + INVITE_DAYS * 24 * 3600_000),
    },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
  });
  const mail = buttonEmail({
    heading: `Join ${workspace.name} on OneThread`,
    body: `${inviter.email} invited you to see ${workspace.name}'s customers on OneThread. The invitation is valid for ${INVITE_DAYS} days.`,
    action: "Accept the invitation",
    url: `${appUrl()}/invite/${token}`,
  });
  try {
    await sendMail(db, {
      to: input.email,
      subject: `You're invited to ${workspace.name} on OneThread`,
      workspaceId: workspace.id,
      ...mail,
    });
  } catch (error) {
    // Unsent, the invitation would be listed as pending with a link nobody has: the owner sees why instead.
    await db.invitation.delete({ where: { id: invitation.id } });
    throw error;
  }
  return invitation;
}

/** The pending invitation behind a link, or a 404 for an unknown, used or expired one. */
export async function findInvitation(db: Db, token: string) {
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: {
      id: true,
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      workspace: { select: { id: true, slug: true, name: true } },
    },
  });
  if (!invitation || invitation.acceptedAt || invitation.expiresAt < new Date()) {
    throw notFound("This invitation link is not valid any more: it was used, or it expired. Ask for a new one.");
  }
  return invitation;
}

/** Accepting needs the invited address: the invitation is for that person, not for whoever holds the link. */
export async function acceptInvitation(db: Db, token: string, user: { id: string; email: string }) {
  const invitation = await findInvitation(db, token);
  if (invitation.email !== user.email.toLowerCase()) {
    throw new AppError(
      "forbidden",
      403,
      `This invitation is for ${invitation.email}. Log in with that address to accept it.`,
    );
  }
  await db.$transaction([
    db.membership.upsert({
      where: { userId_workspaceId: { userId: user.id, workspaceId: invitation.workspace.id } },
      create: { userId: user.id, workspaceId: invitation.workspace.id, role: invitation.role },
      update: {},
    }),
    db.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } }),
  ]);
  return invitation.workspace;
}
