import type { Sql } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { starterTopics } from "./business-types.ts";

/**
 * Gives a workspace the starter vocabulary of its business type (decision 019): the topics it lacks are added,
 * the ones it has (edited, renamed, marked not offered) are left alone. Runs when the type is chosen in
 * Settings and when the counter first meets a workspace with no topics.
 */
export async function ensureStarterTopics(db: Sql, workspaceId: string, businessType: string | null) {
  const starters = starterTopics(businessType);
  if (!starters.length) return 0;
  return db.$executeRawUnsafe(
    `INSERT INTO "Topic" (id, "workspaceId", name, label, kind, terms)
     SELECT x.id, $1::uuid, x.name, x.label, 'starter', string_to_array(x.terms, '|')
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS x(id, name, label, terms)
     ON CONFLICT ("workspaceId", name) DO NOTHING`,
    workspaceId,
    starters.map(() => uuidv7()),
    starters.map((s) => s.name),
    starters.map((s) => s.label),
    starters.map((s) => s.terms.join("|")),
  );
}
