import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { badRequest } from "../errors.ts";

/** `GET /api/v1/privacy-requests?status=open|done&limit=&cursor=` (API.md). */
export const privacyRequestsQuery = z.object({
  status: z.enum(["open", "done"], { error: "must be open or done" }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
});

export interface PrivacyRequestRow {
  id: string;
  kind: string;
  profileId: string | null;
  via: string;
  channels: string[];
  receivedAt: Date;
  dueAt: Date;
  completedAt: Date | null;
  status: string;
}

const encode = (r: { receivedAt: Date; id: string }) =>
  Buffer.from(`${r.receivedAt.getTime()}:${r.id}`).toString("base64url");

function decode(cursor: string) {
  const [ms, id] = Buffer.from(cursor, "base64url").toString().split(":");
  const at = Number(ms);
  if (!Number.isSafeInteger(at) || !id || !z.uuid().safeParse(id).success)
    throw badRequest("cursor: not a cursor this API gave out", [{ path: "cursor", message: "is not valid" }]);
  return { at: new Date(at), id };
}

/**
 * The request log (P12), a page at a time: open requests oldest first (the one due soonest on top), done ones
 * and the whole log newest first. Every export, erasure and opt-out is one row, whichever way it came in.
 */
export async function listPrivacyRequests(
  db: Db | Tx,
  workspaceId: string,
  q: { status?: "open" | "done"; limit: number; cursor?: string },
): Promise<{ requests: PrivacyRequestRow[]; nextCursor: string | null }> {
  const asc = q.status === "open";
  const after = q.cursor ? decode(q.cursor) : null;
  const past = after && (asc ? { gt: after.at } : { lt: after.at });
  const pastId = after && (asc ? { gt: after.id } : { lt: after.id });
  const rows = await db.privacyRequest.findMany({
    where: {
      workspaceId,
      ...(q.status ? { status: q.status } : {}),
      ...(after && past && pastId ? { OR: [{ receivedAt: past }, { receivedAt: after.at, id: pastId }] } : {}),
    },
    orderBy: [{ receivedAt: asc ? "asc" : "desc" }, { id: asc ? "asc" : "desc" }],
    take: q.limit + 1,
    select: {
      id: true,
      kind: true,
      profileId: true,
      via: true,
      channels: true,
      receivedAt: true,
      dueAt: true,
      completedAt: true,
      status: true,
    },
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { requests: page, nextCursor: rows.length > q.limit && last ? encode(last) : null };
}

/** A request as API.md shows it. */
export const requestView = (r: PrivacyRequestRow) => ({
  id: r.id,
  kind: r.kind,
  profileId: r.profileId,
  via: r.via,
  receivedAt: r.receivedAt.toISOString(),
  dueAt: r.dueAt.toISOString(),
  completedAt: r.completedAt?.toISOString() ?? null,
  status: r.status,
});
