import { z } from "zod";
import { hashIdentifier } from "../../crypto/keys.ts";
import { sha256Hex } from "../../crypto/tokens.ts";
import type { Db } from "../../db/client.ts";
import { recipientOf } from "../../emails/recipient.ts";
import { badRequest, notFound } from "../../errors.ts";
import { maskIdentifier } from "../../identity/mask-identifier.ts";
import { normalizeIdentifier } from "../../identity/normalize-identifier.ts";
import { hit, rateLimit } from "../../limits/rate-limit.ts";
import { sendPreferencesLinkMail } from "./send-link-mail.ts";
import type { PreferencesSession, PreferencesWorkspace } from "./session.ts";
import { issuePreferencesLink } from "./tokens.ts";

export const requestLinkForm = z.object({
  w: z.string().trim().min(1).max(100),
  email: z.string().trim().max(320),
});

/** Link requests per visitor (by hashed address of the client) per 10 minutes: a person asks once or twice. */
export const LINK_REQUESTS_PER_CLIENT = 5;
/** Links mailed to one address per 30 minutes, whoever asks: nobody can flood a person's inbox from here. */
export const LINKS_PER_ADDRESS = 3;

/** A workspace slug as slugify() makes them (a number may follow); anything else names no workspace. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** The workspace of a `?w=` slug, as the page names it. */
export async function workspaceBySlug(db: Db, slug: string): Promise<PreferencesWorkspace | null> {
  if (!SLUG.test(slug)) return null;
  return db.workspace.findUnique({
    where: { slug },
    select: { id: true, name: true, slug: true, timezone: true },
  });
}

/**
 * `/privacy/preferences?w=…` → an email: when the address is one of the workspace's people, a single-use
 * verification link goes to it (sent after the answer, through the business's mail); when it is not, nothing
 * is sent. Either way the caller shows the same neutral answer, in the same time: the lookup is the only
 * work done before answering. Refused: an unknown workspace (404), an address that cannot be one (400), a
 * client asking too often (429). Past LINKS_PER_ADDRESS for one address, nothing more is sent, silently.
 */
export async function requestPreferencesLink(
  db: Db,
  input: z.infer<typeof requestLinkForm>,
  client: string,
  sendLater: (work: () => Promise<unknown>) => void,
): Promise<{ workspace: PreferencesWorkspace }> {
  rateLimit(`pp-link:${client}`, LINK_REQUESTS_PER_CLIENT, 10 * 60_000);
  const workspace = await workspaceBySlug(db, input.w);
  if (!workspace) throw notFound("No business on OneThread goes by that name.");
  const ws = await db.workspace.findUniqueOrThrow({
    where: { id: workspace.id },
    select: { hashSalt: true, defaultCountry: true },
  });
  const email = normalizeIdentifier("email", input.email, ws.defaultCountry);
  if (!email)
    throw badRequest("email: enter the email address you gave the business", [
      { path: "email", message: "is not an email address" },
    ]);
  if (hit(`pp-addr:${workspace.id}:${sha256Hex(email)}`, LINKS_PER_ADDRESS, 30 * 60_000) !== null) return { workspace };
  const identifier = await db.identifier.findUnique({
    where: {
      workspaceId_type_hash: {
        workspaceId: workspace.id,
        type: "email",
        hash: hashIdentifier(ws.hashSalt, "email", email),
      },
    },
    select: { id: true, profileId: true },
  });
  if (identifier)
    sendLater(async () => {
      const link = await issuePreferencesLink(db, workspace.id, identifier.profileId, identifier.id);
      await sendPreferencesLinkMail(db, workspace, email, link.url);
    });
  return { workspace };
}

/**
 * From a footer link's page: "email me a link" — a verification link to the address the person's mail goes
 * to (they typed nothing, so everything stays masked). Answers that address, masked.
 */
export async function emailLinkForSession(
  db: Db,
  session: PreferencesSession,
  client: string,
  sendLater: (work: () => Promise<unknown>) => void,
): Promise<{ sentTo: string }> {
  rateLimit(`pp-link:${client}`, LINK_REQUESTS_PER_CLIENT, 10 * 60_000);
  const recipient = await recipientOf(db, session.workspace.id, session.profileId);
  const sentTo = maskIdentifier("email", recipient.address);
  if (hit(`pp-addr:${session.workspace.id}:${sha256Hex(recipient.address)}`, LINKS_PER_ADDRESS, 30 * 60_000) !== null)
    return { sentTo };
  sendLater(async () => {
    const link = await issuePreferencesLink(db, session.workspace.id, session.profileId, null);
    await sendPreferencesLinkMail(db, session.workspace, recipient.address, link.url);
  });
  return { sentTo };
}
