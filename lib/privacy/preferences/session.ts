import { appUrl } from "../../config/env.ts";
import { randomToken, sha256Hex } from "../../crypto/tokens.ts";
import type { Db, Tx } from "../../db/client.ts";
import { uuidv7 } from "../../db/uuidv7.ts";
import { resolveProfileId } from "../../identity/resolve-profile-id.ts";

/** The page's own cookie (no owner session is involved): httpOnly, only under /privacy/preferences. */
export const SESSION_COOKIE = "ot_privacy";
export const SESSION_PATH = "/privacy/preferences";
/** How long the page stays open after a link was opened. */
export const SESSION_MINUTES = 30;

export type PreferencesScope = "full" | "footer";

export interface PreferencesWorkspace {
  id: string;
  name: string;
  slug: string;
  timezone: string;
}

export interface PreferencesSession {
  id: string;
  workspace: PreferencesWorkspace;
  /** The live person (a merge since the link was opened points at the survivor). */
  profileId: string;
  /** `full`: opened from a verification link; `footer`: from an email's footer link (choices only). */
  scope: PreferencesScope;
  /** The identifier the visitor typed, shown unmasked. */
  identifierId: string | null;
  expiresAt: Date;
}

export const WORKSPACE_SELECT = { id: true, name: true, slug: true, timezone: true } as const;

/** Opens a session for the page: a random cookie value, kept only as its hash. */
export async function createSession(
  db: Tx,
  s: { workspaceId: string; profileId: string; scope: PreferencesScope; identifierId: string | null },
  now = new Date(),
) {
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + SESSION_MINUTES * 60_000);
  await db.preferenceToken.create({
    data: {
      id: uuidv7(),
      workspaceId: s.workspaceId,
      profileId: s.profileId,
      kind: "session",
      scope: s.scope,
      tokenHash: sha256Hex(token),
      identifierId: s.identifierId,
      expiresAt,
      createdAt: now,
    },
  });
  return { token, expiresAt };
}

/** The session a cookie value stands for, while it lasts and its person exists; else null. */
export async function readSession(
  db: Db,
  cookieValue: string | null | undefined,
  now = new Date(),
): Promise<PreferencesSession | null> {
  if (!cookieValue || !/^[A-Za-z0-9_-]{20,64}$/.test(cookieValue)) return null;
  const row = await db.preferenceToken.findUnique({
    where: { tokenHash: sha256Hex(cookieValue) },
    select: {
      id: true,
      workspaceId: true,
      profileId: true,
      kind: true,
      scope: true,
      identifierId: true,
      expiresAt: true,
    },
  });
  if (row?.kind !== "session" || row.expiresAt <= now) return null;
  const [workspace, profileId] = await Promise.all([
    db.workspace.findUnique({ where: { id: row.workspaceId }, select: WORKSPACE_SELECT }),
    resolveProfileId(db, row.workspaceId, row.profileId),
  ]);
  if (!workspace || !profileId) return null;
  return {
    id: row.id,
    workspace,
    profileId,
    scope: row.scope === "full" ? "full" : "footer",
    identifierId: row.identifierId,
    expiresAt: row.expiresAt,
  };
}

/** The session cookie's value in a Cookie header. */
export function sessionCookieOf(cookieHeader: string | null): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=") || null;
  }
  return null;
}

const secure = () => (appUrl().startsWith("https:") ? "; Secure" : "");

export const sessionCookieHeader = (token: string, expiresAt: Date) =>
  `${SESSION_COOKIE}=${token}; Path=${SESSION_PATH}; Expires=${expiresAt.toUTCString()}; HttpOnly; SameSite=Lax${secure()}`;

export const clearedSessionCookie = () =>
  `${SESSION_COOKIE}=; Path=${SESSION_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${secure()}`;

/** Ends a session (the visitor left, or deleted everything). */
export async function endSession(db: Db | Tx, sessionId: string) {
  await db.preferenceToken.deleteMany({ where: { id: sessionId } });
}
