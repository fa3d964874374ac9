import type { Sql } from "../db/raw-sql.ts";

export interface GivenName {
  profileId: string;
  at: Date;
  value: string;
  tokens: string[];
}

/**
 * The names a batch's stored events gave their people (person-name.ts): a person without a name gets the
 * earliest one of the batch, sealed, with its blind index; a name once known stays, as the first email does
 * (an owner reading "Jo Rivera" should not see it turn into whatever a later form said). One statement,
 * only when the batch carries names.
 */
export async function recordNames(
  tx: Sql,
  workspaceId: string,
  names: GivenName[],
  seal: (value: string) => string,
): Promise<void> {
  if (!names.length) return;
  const first = new Map<string, GivenName>();
  for (const n of names) {
    const seen = first.get(n.profileId);
    if (!seen || n.at < seen.at) first.set(n.profileId, n);
  }
  const rows = [...first.values()].map((n) => ({ id: n.profileId, nameEnc: seal(n.value), tokens: n.tokens }));
  await tx.$executeRawUnsafe(
    `UPDATE "Profile" p SET "nameEnc" = x."nameEnc", "nameTokens" = x.tokens
     FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, "nameEnc" text, tokens text[])
     WHERE p.id = x.id AND p."workspaceId" = $1::uuid AND p."nameEnc" IS NULL`,
    workspaceId,
    JSON.stringify(rows),
  );
}
