import { hashIdentifier } from "../crypto/keys.ts";
import type { Tx } from "../db/client.ts";
import { normalizeIdentifier } from "../identity/normalize-identifier.ts";

export interface PeopleQuery {
  q?: string;
  rung?: number;
  /** Keyset cursor: `<lastSeenAt ms>.<id>` of the last row shown. */
  after?: string;
  limit?: number;
}

/**
 * The owner's customers list, newest activity first. A search that is an email or a phone number finds its
 * person by keyed hash (identifiers are never stored readable, so no partial match on them); any other text
 * matches names.
 */
export async function listPeople(
  db: Tx,
  ws: { id: string; hashSalt: string; defaultCountry: string },
  query: PeopleQuery,
) {
  const limit = Math.min(query.limit ?? 50, 200);
  const q = query.q?.trim() ?? "";
  let ids: string[] | undefined;
  let nameLike: string | undefined;
  if (q) {
    const asEmail = q.includes("@") ? normalizeIdentifier("email", q, ws.defaultCountry) : null;
    const asPhone =
      !asEmail && /\d{5,}/.test(q.replace(/\D/g, "")) ? normalizeIdentifier("phone", q, ws.defaultCountry) : null;
    const hit = asEmail ? (["email", asEmail] as const) : asPhone ? (["phone", asPhone] as const) : null;
    if (hit) {
      const row = await db.identifier.findUnique({
        where: {
          workspaceId_type_hash: {
            workspaceId: ws.id,
            type: hit[0],
            hash: hashIdentifier(ws.hashSalt, hit[0], hit[1]),
          },
        },
        select: { profileId: true },
      });
      ids = row ? [row.profileId] : [];
    } else {
      nameLike = q;
    }
  }
  const [afterAt, afterId] = query.after?.split(".") ?? [];
  const after = afterAt && afterId && /^\d+$/.test(afterAt) ? { at: new Date(Number(afterAt)), id: afterId } : null;
  const rows = await db.profile.findMany({
    where: {
      workspaceId: ws.id,
      mergedIntoId: null,
      ...(ids ? { id: { in: ids } } : {}),
      ...(nameLike ? { displayName: { contains: nameLike, mode: "insensitive" as const } } : {}),
      ...(query.rung !== undefined ? { rung: query.rung } : {}),
      ...(after ? { OR: [{ lastSeenAt: { lt: after.at } }, { lastSeenAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      rung: true,
      customerNumber: true,
      displayName: true,
      lastSeenAt: true,
      firstSeenAt: true,
      eventCount: true,
      identifiers: {
        where: { type: { in: ["email", "phone"] } },
        select: { type: true, masked: true },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    people: page.map((p) => ({
      id: p.id,
      rung: p.rung,
      customerNumber: p.rung >= 4 ? p.customerNumber : null,
      name: p.displayName,
      email: p.identifiers.find((i) => i.type === "email")?.masked ?? null,
      phone: p.identifiers.find((i) => i.type === "phone")?.masked ?? null,
      lastSeenAt: p.lastSeenAt,
      firstSeenAt: p.firstSeenAt,
      eventCount: p.eventCount,
    })),
    next: rows.length > limit && last ? `${last.lastSeenAt.getTime()}.${last.id}` : null,
  };
}
