import type { CampaignFilter } from "../campaigns/campaign-filter.ts";
import { rangeStart, TOUCH_COLUMNS } from "../campaigns/campaign-table.ts";
import { describeTouch } from "../campaigns/describe-touch.ts";
import { touchChannelSql } from "../campaigns/touch-channel.ts";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import { isUuid } from "../db/uuidv7.ts";
import { type PeopleSearch, searchPeople } from "./search-people.ts";

export const PEOPLE_SORTS = ["active", "new", "rung"] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

export const PEOPLE_SORT_LABELS: Record<PeopleSort, string> = {
  active: "Last active",
  new: "Newest first",
  rung: "Highest rung",
};

export interface PeopleQuery {
  q?: string;
  rung?: number;
  sort?: PeopleSort;
  /** Keyset cursor of the last row shown (`next` of a page): the page after it. */
  after?: string;
  /** Keyset cursor of the first row shown (`prev` of a page): the page before it. */
  before?: string;
  limit?: number;
  /** Only people whose first or last touch was this campaign (a row of the campaigns page). */
  campaign?: CampaignFilter | null;
}

export interface PersonRow {
  id: string;
  rung: number;
  customerNumber: number | null;
  /** The name they gave (sealed at rest, opened for the workspace's members), else null. */
  name: string | null;
  email: string | null;
  phone: string | null;
  /** Further emails and phones beyond the ones shown. */
  moreContacts: number;
  /** The campaigns row of their first touch ("google / cpc / spring", "(direct)"; describe-touch.ts). */
  cameFrom: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
}

type Row = {
  id: string;
  rung: number;
  customerNumber: number | null;
  displayName: string | null;
  nameEnc: string | null;
  emailEnc: string | null;
  phoneEnc: string | null;
  firstTouch: unknown;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
  contacts: number;
};

/** Each sort's keyset: the columns in order (all descending), and how a cursor spells their values. */
const KEYSETS: Record<PeopleSort, { columns: string[]; cast: string[]; key: (r: Row) => (string | number)[] }> = {
  active: {
    columns: [`p."lastSeenAt"`, "p.id"],
    cast: ["timestamptz", "uuid"],
    key: (r) => [r.lastSeenAt.getTime(), r.id],
  },
  new: {
    columns: [`p."firstSeenAt"`, "p.id"],
    cast: ["timestamptz", "uuid"],
    key: (r) => [r.firstSeenAt.getTime(), r.id],
  },
  rung: {
    columns: ["p.rung", `p."lastSeenAt"`, "p.id"],
    cast: ["int", "timestamptz", "uuid"],
    key: (r) => [r.rung, r.lastSeenAt.getTime(), r.id],
  },
};

/** A cursor's values for the sort, or null for anything this list did not give out (read as the first page). */
function parseCursor(sort: PeopleSort, raw: string | undefined): unknown[] | null {
  if (!raw) return null;
  const parts = raw.split(".");
  const { cast } = KEYSETS[sort];
  if (parts.length !== cast.length) return null;
  const values: unknown[] = [];
  for (const [i, type] of cast.entries()) {
    const v = parts[i] ?? "";
    if (type === "uuid") {
      if (!isUuid(v)) return null;
      values.push(v);
    } else if (type === "int") {
      if (!/^[0-4]$/.test(v)) return null;
      values.push(Number(v));
    } else {
      const at = /^\d{1,15}$/.test(v) ? new Date(Number(v)) : null;
      if (!at || Number.isNaN(at.getTime())) return null;
      values.push(at);
    }
  }
  return values;
}

/**
 * The owner's customers list (docs/decisions/012): live people with their name and full contacts (members
 * of the workspace see who their customers are; the business is the data controller), searched by email,
 * phone, account id or customer number through keyed hashes and by name through the blind index
 * (search-people.ts), filtered by rung or campaign, sorted by last activity, arrival or rung, paged by keyset
 * both ways, with the total the filters match. One query for the page, one for the count.
 */
export async function listPeople(db: Sql, ws: { id: string; timezone: string }, query: PeopleQuery) {
  const limit = Math.max(1, Math.min(query.limit ?? 50, 200));
  const sort = query.sort ?? "active";
  const keyset = KEYSETS[sort];
  const values: unknown[] = [ws.id];
  const param = (v: unknown, cast: string) => `$${values.push(v)}::${cast}`;
  const where = [`p."workspaceId" = $1::uuid`, `p."mergedIntoId" IS NULL`];
  let from = `"Profile" p`;

  const search: PeopleSearch | null = query.q?.trim() ? await searchPeople(db, ws.id, query.q) : null;
  if (search) {
    const any: string[] = [];
    if (search.ids.length) any.push(`p.id = ANY(${param(search.ids, "uuid[]")})`);
    // The name index holds only named profiles (decision 027): the search says so, to be answered from it.
    if (search.nameTokens)
      any.push(`(cardinality(p."nameTokens") > 0 AND p."nameTokens" @> ${param(search.nameTokens, "text[]")})`);
    if (search.customerNumber !== null) any.push(`p."customerNumber" = ${param(search.customerNumber, "int")}`);
    where.push(any.length ? `(${any.join(" OR ")})` : "false");
  }
  if (query.rung !== undefined) where.push(`p.rung = ${param(query.rung, "int")}`);
  if (query.campaign) {
    const f = query.campaign;
    const { touch, seen } = TOUCH_COLUMNS[f.touch];
    const since = await rangeStart(db, { range: f.range, timezone: ws.timezone });
    from += ` CROSS JOIN LATERAL (${touchChannelSql(touch)}) AS c`;
    where.push(
      `c.source = ${param(f.source, "text")}`,
      `c.medium = ${param(f.medium, "text")}`,
      `c.campaign = ${param(f.campaign, "text")}`,
    );
    if (since)
      where.push(`COALESCE((${touch} ->> 'occurredAt')::timestamptz, ${seen}) >= ${param(since, "timestamptz")}`);
  }
  const filtered = [...where];

  const before = parseCursor(sort, query.before);
  const after = before ? null : parseCursor(sort, query.after);
  const cursor = before ?? after;
  if (cursor) {
    const tuple = cursor.map((v, i) => param(v, keyset.cast[i] ?? "text"));
    where.push(`(${keyset.columns.join(", ")}) ${before ? ">" : "<"} (${tuple.join(", ")})`);
  }
  const order = keyset.columns.map((c) => `${c} ${before ? "ASC" : "DESC"}`).join(", ");
  const countValues = values.slice(0, values.length - (cursor?.length ?? 0));

  const [rows, [count]] = await Promise.all([
    db.$queryRawUnsafe<Row[]>(
      `SELECT p.id, p.rung, p."customerNumber", p."displayName", p."nameEnc", p."emailEnc", p."phoneEnc",
         p."firstTouch", p."firstSeenAt", p."lastSeenAt", p."eventCount",
         (SELECT count(*)::int FROM "Identifier" i WHERE i."profileId" = p.id AND i.type IN ('email', 'phone')) AS contacts
       FROM ${from} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${limit + 1}`,
      ...values,
    ),
    db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${from} WHERE ${filtered.join(" AND ")}`,
      ...countValues,
    ),
  ]);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (before) page.reverse();
  const spell = (r: Row | undefined) => (r ? keyset.key(r).join(".") : null);
  return {
    people: page.map(toPersonRow),
    total: count?.n ?? 0,
    sort,
    /** Cursor of the page after this one (null on the last page). */
    next: before ? spell(page.at(-1)) : more ? spell(page.at(-1)) : null,
    /** Cursor of the page before this one (null on the first page). */
    prev: before ? (more ? spell(page[0]) : null) : cursor ? spell(page[0]) : null,
  };
}

function toPersonRow(r: Row): PersonRow {
  const email = decryptOrNull(r.emailEnc);
  const phone = decryptOrNull(r.phoneEnc);
  return {
    id: r.id,
    rung: r.rung,
    customerNumber: r.rung >= 4 ? r.customerNumber : null,
    name: decryptOrNull(r.nameEnc),
    email,
    phone,
    moreContacts: Math.max(0, r.contacts - (email ? 1 : 0) - (phone ? 1 : 0)),
    cameFrom: describeTouch(r.firstTouch).label,
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
    eventCount: r.eventCount,
  };
}
