import type { CampaignFilter } from "../campaigns/campaign-filter.ts";
import { rangeStart, TOUCH_COLUMNS } from "../campaigns/campaign-table.ts";
import { touchChannelSql } from "../campaigns/touch-channel.ts";
import { hashIdentifier } from "../crypto/keys.ts";
import type { Tx } from "../db/client.ts";
import { isUuid } from "../db/uuidv7.ts";
import { normalizeIdentifier } from "../identity/normalize-identifier.ts";

export interface PeopleQuery {
  q?: string;
  rung?: number;
  /** Keyset cursor: `<lastSeenAt ms>.<id>` of the last row shown. */
  after?: string;
  limit?: number;
  /** Only people whose first or last touch was this campaign (a row of the campaigns page). */
  campaign?: CampaignFilter | null;
}

/**
 * The owner's customers list, newest activity first. A search that is an email or a phone number finds its
 * person by keyed hash (identifiers are never stored readable, so no partial match on them); any other text
 * matches names.
 */
export async function listPeople(
  db: Tx,
  ws: { id: string; hashSalt: string; defaultCountry: string; timezone: string },
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
  // A garbled cursor (an edited URL) reads as the first page, never as a database error.
  const afterDate = afterAt && /^\d{1,15}$/.test(afterAt) ? new Date(Number(afterAt)) : null;
  const after =
    afterDate && !Number.isNaN(afterDate.getTime()) && isUuid(afterId) ? { at: afterDate, id: afterId } : null;
  const where = query.campaign
    ? {
        workspaceId: ws.id,
        id: { in: await campaignPage(db, ws, query.campaign, { ids, nameLike, after, limit, rung: query.rung }) },
      }
    : {
        workspaceId: ws.id,
        mergedIntoId: null,
        ...(ids ? { id: { in: ids } } : {}),
        ...(nameLike ? { displayName: { contains: nameLike, mode: "insensitive" as const } } : {}),
        ...(query.rung !== undefined ? { rung: query.rung } : {}),
        ...(after ? { OR: [{ lastSeenAt: { lt: after.at } }, { lastSeenAt: after.at, id: { lt: after.id } }] } : {}),
      };
  const rows = await db.profile.findMany({
    where,
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

/**
 * The ids of one page of the list filtered by campaign, in the list's order: the campaign is derived from the
 * touch JSON (touch-channel.ts), which Prisma's filters cannot express, so this page is chosen in SQL with the
 * same conditions as the list's own (search, rung, keyset) and Prisma then loads those rows.
 */
async function campaignPage(
  db: Tx,
  ws: { id: string; timezone: string },
  f: CampaignFilter,
  page: { ids?: string[]; nameLike?: string; rung?: number; after: { at: Date; id: string } | null; limit: number },
) {
  const { touch, seen } = TOUCH_COLUMNS[f.touch];
  const since = await rangeStart(db, { range: f.range, timezone: ws.timezone });
  const values: unknown[] = [ws.id, f.source, f.medium, f.campaign, since];
  const and: string[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  if (page.ids) and.push(`p.id = ANY(${param(page.ids)}::uuid[])`);
  if (page.nameLike) and.push(`p."displayName" ILIKE ${param(`%${page.nameLike.replace(/[\\%_]/g, "\\$&")}%`)}`);
  if (page.rung !== undefined) and.push(`p.rung = ${param(page.rung)}::int`);
  if (page.after)
    and.push(`(p."lastSeenAt", p.id) < (${param(page.after.at)}::timestamptz, ${param(page.after.id)}::uuid)`);
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT p.id FROM "Profile" p
     CROSS JOIN LATERAL (${touchChannelSql(touch)}) AS c
     WHERE p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL
       AND c.source = $2 AND c.medium = $3 AND c.campaign = $4
       AND ($5::timestamptz IS NULL OR COALESCE((${touch} ->> 'occurredAt')::timestamptz, ${seen}) >= $5::timestamptz)
       ${and.map((c) => `AND ${c}`).join(" ")}
     ORDER BY p."lastSeenAt" DESC, p.id DESC
     LIMIT ${page.limit + 1}`,
    ...values,
  );
  return rows.map((r) => r.id);
}
