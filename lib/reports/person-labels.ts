import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";

export interface PersonLabel {
  id: string;
  /** A name, else the email, else the phone (members see their customers in full), else what they are. */
  name: string;
  rung: number;
  customerNumber: number | null;
}

/**
 * How the reports name the people they point at, by primary key (a few ids per report). Members of the
 * workspace see their customers' names and contacts (the business is the data controller).
 */
export async function personLabels(db: Sql, workspaceId: string, ids: string[]): Promise<Map<string, PersonLabel>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.$queryRawUnsafe<
    {
      id: string;
      rung: number;
      customerNumber: number | null;
      nameEnc: string | null;
      emailEnc: string | null;
      phoneEnc: string | null;
      displayName: string | null;
    }[]
  >(
    `SELECT id, rung, "customerNumber", "nameEnc", "emailEnc", "phoneEnc", "displayName" FROM "Profile"
     WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[])`,
    workspaceId,
    unique,
  );
  return new Map(
    rows.map((r) => {
      const contact = safe(r.nameEnc) ?? safe(r.emailEnc) ?? safe(r.phoneEnc) ?? r.displayName;
      const number = r.rung >= 4 ? r.customerNumber : null;
      const name =
        contact ??
        (number ? `Customer #${number.toLocaleString("en-US")}` : r.rung >= 1 ? "Returning visitor" : "Visitor");
      return [r.id, { id: r.id, name, rung: r.rung, customerNumber: number }];
    }),
  );
}

/** A value sealed under a retired key reads as absent rather than failing the whole report. */
function safe(sealed: string | null) {
  try {
    return decryptOrNull(sealed);
  } catch {
    return null;
  }
}
