import type { Sql } from "../db/raw-sql.ts";

export interface SummaryTopic {
  name: string;
  label: string;
  /** False for something customers ask about that the business does not sell (yet). */
  offered: boolean;
  count: number;
  previous: number;
}

/**
 * The week's most asked-about topics: TopicCount summed over the local days `days` (first and last included)
 * against the seven days before. The ONE place the summary reads topics: the topics report
 * (lib/reports/topics.ts) can take its place at the merge.
 */
export async function summaryTopics(
  db: Sql,
  workspaceId: string,
  days: { first: string; last: string; previousFirst: string },
  limit = 5,
): Promise<SummaryTopic[]> {
  return db.$queryRawUnsafe<SummaryTopic[]>(
    `SELECT t.name, t.label, t.offered,
       coalesce(sum(c.count) FILTER (WHERE c.day >= $2::date), 0)::int AS count,
       coalesce(sum(c.count) FILTER (WHERE c.day < $2::date), 0)::int AS previous
     FROM "Topic" t JOIN "TopicCount" c ON c."topicId" = t.id AND c.day >= $4::date AND c.day <= $3::date
     WHERE t."workspaceId" = $1::uuid
     GROUP BY t.id
     HAVING sum(c.count) FILTER (WHERE c.day >= $2::date) > 0
     ORDER BY count DESC, previous ASC, t.label
     LIMIT ${Math.trunc(limit)}`,
    workspaceId,
    days.first,
    days.last,
    days.previousFirst,
  );
}
