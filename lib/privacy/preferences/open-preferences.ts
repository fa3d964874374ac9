import { sha256Hex } from "../../crypto/tokens.ts";
import type { Db } from "../../db/client.ts";
import { PRISMA_TX } from "../../db/raw-sql.ts";
import { resolveProfileId } from "../../identity/resolve-profile-id.ts";
import { erasedAt } from "../../people/erased-person.ts";
import { createSession, type PreferencesWorkspace, WORKSPACE_SELECT } from "./session.ts";
import { type PreferencesPurpose, readPreferencesToken } from "./tokens.ts";

/**
 * Why a link does not open the page: `forged` (not signed here, garbled, or of no workspace), `expired`,
 * `used` (a verification link opens once), `erased` (the person deleted their data since).
 */
export type LinkProblem =
  | { problem: "forged" }
  | { problem: "expired"; workspace: PreferencesWorkspace; purpose: PreferencesPurpose }
  | { problem: "used"; workspace: PreferencesWorkspace }
  | { problem: "erased"; workspace: PreferencesWorkspace; erasedAt: Date };

export type LinkCheck =
  | { ok: true; purpose: PreferencesPurpose; workspace: PreferencesWorkspace; profileId: string }
  | ({ ok: false } & LinkProblem);

/** What a `?t=` token stands for, changing nothing (a GET: mail scanners open links too). */
export async function checkPreferencesLink(db: Db, token: string, now = new Date()): Promise<LinkCheck> {
  const t = readPreferencesToken(token);
  if (!t) return { ok: false, problem: "forged" };
  const workspace = await db.workspace.findUnique({ where: { id: t.workspaceId }, select: WORKSPACE_SELECT });
  if (!workspace) return { ok: false, problem: "forged" };
  const [profileId, row] = await Promise.all([
    resolveProfileId(db, workspace.id, t.profileId),
    t.purpose === "link"
      ? db.preferenceToken.findUnique({ where: { tokenHash: sha256Hex(token) }, select: { usedAt: true } })
      : Promise.resolve(null),
  ]);
  if (!profileId) {
    const at = await erasedAt(db, workspace.id, t.profileId);
    return at ? { ok: false, problem: "erased", workspace, erasedAt: at } : { ok: false, problem: "forged" };
  }
  if (t.expiresAt <= now) return { ok: false, problem: "expired", workspace, purpose: t.purpose };
  // A signed link without its row was cleared away after use.
  if (t.purpose === "link" && (!row || row.usedAt)) return { ok: false, problem: "used", workspace };
  return { ok: true, purpose: t.purpose, workspace, profileId };
}

export type OpenResult =
  | { ok: true; sessionToken: string; expiresAt: Date; workspace: PreferencesWorkspace }
  | ({ ok: false } & LinkProblem);

/**
 * The page's "Open" button (POST): a verification link is consumed — in the same transaction as the session
 * it opens, so of two clicks racing only one gets in — and a footer link, reusable, opens the same page (API.md:
 * "that link, or a footer link"; decision 015).
 */
export async function openPreferences(db: Db, token: string, now = new Date()): Promise<OpenResult> {
  const check = await checkPreferencesLink(db, token, now);
  if (!check.ok) return check;
  const { workspace, profileId } = check;
  return db.$transaction(async (tx) => {
    let identifierId: string | null = null;
    if (check.purpose === "link") {
      const tokenHash = sha256Hex(token);
      const used = await tx.preferenceToken.updateMany({
        where: { tokenHash, kind: "link", usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (!used.count) return { ok: false as const, problem: "used" as const, workspace };
      const row = await tx.preferenceToken.findUnique({ where: { tokenHash }, select: { identifierId: true } });
      identifierId = row?.identifierId ?? null;
    }
    const session = await createSession(tx, { workspaceId: workspace.id, profileId, scope: "full", identifierId }, now);
    return { ok: true as const, sessionToken: session.token, expiresAt: session.expiresAt, workspace };
  }, PRISMA_TX);
}
