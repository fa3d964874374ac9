import { sqlOf } from "../db/raw-sql.ts";
import { PROFILE_SELECT, type ProfileView, type ProfileViewRow, toView } from "../timeline/profile-view.ts";
import { type ExportCursor, type ExportSource, inPage, type SourceInput } from "./export-source.ts";

/**
 * The workspace's live people, each as `GET /api/v1/profiles/{id}` shows them (readable identifiers, opt-outs,
 * attribution), by (firstSeenAt, id) along the (workspaceId, firstSeenAt) index. `from`/`to` keep the people
 * seen within the range: first seen before `to`, last seen at or after `from`.
 */
export function profilesSource({ db, workspaceId, range }: SourceInput): ExportSource<ProfileView> {
  const conditions = (after: ExportCursor | null, params: unknown[]) => {
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = [`p."workspaceId" = $1::uuid`, `p."mergedIntoId" IS NULL`];
    if (range.from) where.push(`p."lastSeenAt" >= ${p(range.from)}::timestamptz`);
    if (range.to) where.push(`p."firstSeenAt" < ${p(range.to)}::timestamptz`);
    if (after) {
      const at = p(after.at);
      where.push(
        `p."firstSeenAt" >= ${at}::timestamptz AND (p."firstSeenAt" > ${at}::timestamptz OR p.id > ${p(after.id)}::uuid)`,
      );
    }
    return where.join(" AND ");
  };
  return {
    async count() {
      const params: unknown[] = [workspaceId];
      const [row] = await sqlOf(db).$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "Profile" p WHERE ${conditions(null, params)}`,
        ...params,
      );
      return row?.n ?? 0;
    },
    page: (after, limit) =>
      inPage(db, async (sql) => {
        const params: unknown[] = [workspaceId];
        const rows = await sql.$queryRawUnsafe<ProfileViewRow[]>(
          `SELECT ${PROFILE_SELECT} FROM "Profile" p WHERE ${conditions(after, params)}
           ORDER BY p."firstSeenAt", p.id LIMIT ${Number(limit)}`,
          ...params,
        );
        const last = rows.at(-1);
        return {
          rows: rows.map(toView),
          next: last && rows.length === limit ? { at: last.firstSeenAt, id: last.id } : null,
        };
      }),
    csvHeader: [
      "id",
      "display_name",
      "rung",
      "customer_number",
      "emails",
      "phones",
      "accounts",
      "devices",
      "first_seen_at",
      "last_seen_at",
      "opted_out",
      "channel_opt_outs",
      "first_touch",
      "last_touch",
    ],
    csvRow: (p) => {
      const values = (type: string) =>
        p.identifiers
          .filter((i) => i.type === type)
          .map((i) => i.value)
          .join("; ");
      return [
        p.id,
        p.displayName,
        p.rung,
        p.customerNumber,
        values("email"),
        values("phone"),
        values("account"),
        p.identifiers.filter((i) => i.type === "device").length,
        p.firstSeenAt,
        p.lastSeenAt,
        p.optedOut,
        p.channelOptOuts.map((o) => o.channel).join("; "),
        p.attribution.first,
        p.attribution.last,
      ];
    },
  };
}
