import { decryptOrNull } from "../crypto/keys.ts";
import type { Db, Tx } from "../db/client.ts";
import { listPrivacyRequests, type PrivacyRequestRow } from "./list-privacy-requests.ts";

export interface LoggedRequest extends PrivacyRequestRow {
  /** Who asked, in full (the owner is the data controller); null once erased or unknown. */
  person: { id: string; name: string } | null;
}

/**
 * Settings → Privacy (P12): the open requests, the one due soonest first, and the latest done ones, each with
 * the person's name for the owner. Opt-outs, exports and self-service erasures are done as they arrive, so
 * they are listed as done with their due date kept beside.
 */
export async function privacyLog(
  db: Db | Tx,
  workspaceId: string,
  o: { open?: number; done?: number } = {},
): Promise<{ open: LoggedRequest[]; done: LoggedRequest[]; moreDone: boolean }> {
  const [open, done] = await Promise.all([
    listPrivacyRequests(db, workspaceId, { status: "open", limit: o.open ?? 100 }),
    listPrivacyRequests(db, workspaceId, { status: "done", limit: o.done ?? 50 }),
  ]);
  const ids = [
    ...new Set([...open.requests, ...done.requests].map((r) => r.profileId).filter((p): p is string => !!p)),
  ];
  const people = ids.length
    ? await db.profile.findMany({
        where: { workspaceId, id: { in: ids } },
        select: { id: true, displayName: true, nameEnc: true, emailEnc: true, phoneEnc: true },
      })
    : [];
  const names = new Map(
    people.map((p) => [
      p.id,
      decryptOrNull(p.nameEnc) ??
        (p.displayName && !p.displayName.includes("•") ? p.displayName : null) ??
        decryptOrNull(p.emailEnc) ??
        decryptOrNull(p.phoneEnc) ??
        p.displayName ??
        "Anonymous visitor",
    ]),
  );
  const withPerson = (r: PrivacyRequestRow): LoggedRequest => {
    const name = r.profileId ? names.get(r.profileId) : undefined;
    return { ...r, person: r.profileId && name ? { id: r.profileId, name } : null };
  };
  return { open: open.requests.map(withPerson), done: done.requests.map(withPerson), moreDone: !!done.nextCursor };
}
