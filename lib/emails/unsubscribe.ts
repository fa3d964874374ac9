import type { Db } from "../db/client.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { loadWorkspaceForIngest } from "../ingest/load-workspace.ts";
import { recordProfileEvent } from "../ingest/record-profile-event.ts";

const TOKEN = /^[0-9A-Za-z_-]{16,64}$/;

export const UNSUBSCRIBE_REASON = "unsubscribe_link";

/** Mail of any kind but transactional is marketing as far as opting out goes. */
const purposeOf = (kind: string) => (kind === "transactional" ? "transactional" : "marketing");

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
  if (!TOKEN.test(token)) return null;
  const send = await db.emailSend.findUnique({
    where: { unsubscribeToken: token },
    select: { id: true, workspaceId: true, kind: true, toHash: true },
  });
  if (!send) return null;
  const purpose = purposeOf(send.kind);
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
 * `POST /u/{token}` (RFC 8058 one-click, or the page's button): at once, the address the mail went to is opted
 * out of that purpose — a Suppression over its hash with scope `email:<purpose>` (a transactional mail's link
 * stops marketing mail too), which the next send to it
 * refuses (409 `opted_out`, lib/privacy/channel-opt-outs.ts) — recorded as an opt-out request (via
 * `unsubscribe`, done) and as `email/unsubscribed` on the person. No cookie, no login: the token is the
 * authority. Idempotent: a second click changes nothing. Unknown token: null.
 */
export async function unsubscribe(db: Db, token: string, via: "one-click" | "page"): Promise<UnsubscribeTarget | null> {
  if (!TOKEN.test(token)) return null;
  const send = await db.emailSend.findUnique({
    where: { unsubscribeToken: token },
    select: { id: true, workspaceId: true, profileId: true, kind: true, toHash: true },
  });
  if (!send) return null;
  const purpose = purposeOf(send.kind);
  const hashes = send.toHash
    ? [send.toHash]
    : send.profileId
      ? (
          await db.identifier.findMany({
            where: { workspaceId: send.workspaceId, profileId: send.profileId, type: "email" },
            select: { hash: true },
          })
        ).map((i) => i.hash)
      : [];
  // Who does not want even the transactional mail does not want the marketing either.
  const scopes = purpose === "transactional" ? ["email:transactional", "email:marketing"] : ["email:marketing"];
  const { count } = await db.suppression.createMany({
    data: hashes.flatMap((hash) =>
      scopes.map((scope) => ({
        id: uuidv7(),
        workspaceId: send.workspaceId,
        type: "email" as const,
        hash,
        scope,
        reason: UNSUBSCRIBE_REASON,
      })),
    ),
    skipDuplicates: true,
  });
  if (count) {
    const now = new Date();
    const due = new Date(now);
    due.setUTCMonth(due.getUTCMonth() + 1);
    await db.privacyRequest.create({
      data: {
        workspaceId: send.workspaceId,
        profileId: send.profileId,
        kind: "opt_out",
        status: "done",
        via: "unsubscribe",
        receivedAt: now,
        dueAt: due,
        completedAt: now,
      },
    });
    if (send.profileId)
      await recordProfileEvent(db, await loadWorkspaceForIngest(db, send.workspaceId), send.profileId, {
        id: `unsub_${send.id}`,
        source: "email",
        type: "unsubscribed",
        occurredAt: now,
        channel: "email",
        properties: { purpose, emailSendId: send.id, via },
      });
  }
  return { emailSendId: send.id, workspaceId: send.workspaceId, purpose };
}
