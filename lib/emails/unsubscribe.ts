import type { Db } from "../db/client.ts";
import { PRISMA_TX } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { lockLiveProfiles } from "../identity/lock-profiles.ts";
import { loadWorkspaceForIngest } from "../ingest/load-workspace.ts";
import { recordProfileEvent } from "../ingest/record-profile-event.ts";
import { REASON_OF_VIA, writeOptOut } from "../privacy/opt-out.ts";
import { purposeOfKind, readUnsubscribeToken, type UnsubscribePurpose } from "./unsubscribe-token.ts";

/** The random tokens of mail sent before the links were signed: those mails keep working (RFC 8058). */
const LEGACY_TOKEN = /^[0-9A-Za-z_-]{16,64}$/;

export const UNSUBSCRIBE_REASON = REASON_OF_VIA.unsubscribe;

interface SendOfToken {
  id: string;
  workspaceId: string;
  profileId: string | null;
  toHash: string | null;
  purpose: UnsubscribePurpose;
}

/**
 * The mail a link stands for. A signed token (lib/emails/unsubscribe-token.ts) is checked before anything is
 * read — a forged or garbled one costs no query — and then names its mail, which must still exist in the
 * workspace the token names (erasure deletes it: the link dies with the person). The purpose is the token's.
 */
async function sendOfToken(db: Db, token: string): Promise<SendOfToken | null> {
  if (typeof token !== "string") return null;
  const signed = readUnsubscribeToken(token);
  const select = { id: true, workspaceId: true, profileId: true, kind: true, toHash: true } as const;
  const send = signed
    ? await db.emailSend.findFirst({ where: { id: signed.emailSendId, workspaceId: signed.workspaceId }, select })
    : LEGACY_TOKEN.test(token)
      ? await db.emailSend.findUnique({ where: { unsubscribeToken: token }, select })
      : null;
  if (!send) return null;
  return { ...send, purpose: signed?.purpose ?? purposeOfKind(send.kind) };
}

export interface UnsubscribeTarget {
  emailSendId: string;
  workspaceId: string;
  /** `transactional` or `marketing`: the purpose the link opts out of. */
  purpose: string;
}

export interface UnsubscribePageState extends UnsubscribeTarget {
  /** The business's name, as the person knows the sender. */
  business: string;
  /** The address is already opted out of this purpose. */
  done: boolean;
}

/** What an unsubscribe token stands for (one mail: its person and purpose), or null for an unknown token. */
export async function findUnsubscribe(db: Db, token: string): Promise<UnsubscribePageState | null> {
  const send = await sendOfToken(db, token);
  if (!send) return null;
  const { purpose } = send;
  const [workspace, done] = await Promise.all([
    db.workspace.findUnique({ where: { id: send.workspaceId }, select: { name: true } }),
    send.toHash
      ? db.suppression.count({
          where: {
            workspaceId: send.workspaceId,
            type: "email",
            hash: send.toHash,
            scope: { in: [`email:${purpose}`, "email", "all"] },
          },
        })
      : Promise.resolve(0),
  ]);
  return {
    emailSendId: send.id,
    workspaceId: send.workspaceId,
    purpose,
    business: workspace?.name ?? "this sender",
    done: done > 0,
  };
}

/**
 * `POST /u/{token}` (RFC 8058 one-click, or the page's button): at once, the person the mail went to is opted
 * out of that purpose — through the one writer of opt-outs (lib/privacy/opt-out.ts): a Suppression with scope
 * `email:<purpose>` over the address the mail went to and every other email address the person holds (a
 * transactional mail's link stops marketing mail too), which the next send refuses (409 `opted_out`,
 * lib/privacy/channel-opt-outs.ts), and an opt-out request (via `unsubscribe`, done) in the same transaction;
 * then `email/unsubscribed` on the person. No cookie, no login: the token is the authority. Idempotent: a
 * second click changes nothing. Unknown token: null.
 */
export async function unsubscribe(db: Db, token: string, via: "one-click" | "page"): Promise<UnsubscribeTarget | null> {
  const send = await sendOfToken(db, token);
  if (!send) return null;
  const { workspaceId, purpose } = send;
  // Who does not want even the transactional mail does not want the marketing either.
  const purposes = purpose === "transactional" ? ["email:transactional", "email:marketing"] : ["email:marketing"];
  const written = await withRetry(() =>
    db.$transaction(async (tx) => {
      const [live] = send.profileId ? ((await lockLiveProfiles(tx, workspaceId, [send.profileId])) ?? []) : [];
      const requestId = await writeOptOut(tx, {
        workspaceId,
        profileId: live?.id ?? null,
        extra: send.toHash ? [{ type: "email", hash: send.toHash }] : [],
        scopes: purposes.map((scope) => ({ scope, types: ["email"] as const })),
        via: "unsubscribe",
        asked: [`email:${purpose}`],
      });
      return { requestId, profileId: live?.id ?? null };
    }, PRISMA_TX),
  );
  if (written.requestId && written.profileId)
    await recordProfileEvent(db, await loadWorkspaceForIngest(db, workspaceId), written.profileId, {
      id: `unsub_${send.id}`,
      source: "email",
      type: "unsubscribed",
      occurredAt: new Date(),
      channel: "email",
      properties: { purpose, emailSendId: send.id, via },
    });
  return { emailSendId: send.id, workspaceId, purpose };
}
