import type { Sql } from "../db/raw-sql.ts";
import { topTopics } from "../reports/topics.ts";

export interface SummaryTopic {
  name: string;
  label: string;
  /** False for something customers ask about that the business does not sell (yet). */
  offered: boolean;
  count: number;
  previous: number;
  /** Growing against the weeks before (lib/reports/topics.ts, decision 019). */
  emerging: boolean;
}

/**
 * The week's most asked-about topics, as the topics report counts them (lib/reports/topics.ts: the TopicCount
 * rollup over the local days `first`–`last` against the seven days before; ignored topics left out), only
 * those asked about this week.
 */
export async function summaryTopics(
  db: Sql,
  workspaceId: string,
  days: { first: string; last: string; previousFirst: string },
  limit = 5,
): Promise<SummaryTopic[]> {
  const topics = await topTopics(db, workspaceId, { from: days.first, to: days.last }, { weeks: 4 });
  return topics
    .filter((t) => t.count > 0)
    .slice(0, limit)
    .map((t) => ({
      name: t.name,
      label: t.label,
      offered: t.offered,
      count: t.count,
      previous: t.previousCount,
      emerging: t.emerging,
    }));
}
