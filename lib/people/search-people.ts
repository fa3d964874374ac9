import { hashIdentifier } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import { normalizeIdentifier } from "../identity/normalize-identifier.ts";
import { searchTokens } from "./person-name.ts";

export interface PeopleSearch {
  /** People holding the email, phone or account id the search spelled (exact, by keyed hash). */
  ids: string[];
  /** Every word of the search as a prefix of a word of the name (the blind index), or null. */
  nameTokens: string[] | null;
  /** "#1247" or "1247": that customer number. */
  customerNumber: number | null;
}

export const MAX_SEARCH = 200;

/**
 * What a search box's text can mean, without decrypting anyone (docs/decisions/012): an email (exact, by its
 * keyed hash), a phone number in any spelling the workspace's country reads (E.164, by hash), an account id
 * (exact), a customer number, and a name (each word a prefix of a word of the name). A text may mean several
 * of these at once ("1247" is a customer number or an account id); the list shows who matches any.
 */
export async function searchPeople(db: Sql, workspaceId: string, raw: string): Promise<PeopleSearch> {
  const q = raw.trim().slice(0, MAX_SEARCH);
  const [ws] = await db.$queryRawUnsafe<{ id: string; hashSalt: string; defaultCountry: string }[]>(
    `SELECT id, "hashSalt", "defaultCountry" FROM "Workspace" WHERE id = $1::uuid`,
    workspaceId,
  );
  if (!ws) return { ids: [], nameTokens: null, customerNumber: null };
  const hashes: { type: string; hash: string }[] = [];
  const add = (type: "email" | "phone" | "account", value: string | null) => {
    if (value) hashes.push({ type, hash: hashIdentifier(ws.hashSalt, type, value) });
  };
  const email = q.includes("@") ? normalizeIdentifier("email", q, ws.defaultCountry) : null;
  add("email", email);
  const digits = q.replace(/\D/g, "");
  // A phone is mostly digits (with + ( ) - . and spaces): "Jo 2" is not one, "(805) 555-0100" is.
  if (!email && digits.length >= 6 && /^[\d\s+().\-/]+$/.test(q.replace(/^(whatsapp|tel|sms):/i, ""))) {
    add("phone", normalizeIdentifier("phone", q, ws.defaultCountry));
  }
  if (!email && !/\s/.test(q)) add("account", normalizeIdentifier("account", q, ws.defaultCountry));
  const number = /^#?\s*(\d{1,9})$/.exec(q);
  let ids: string[] = [];
  if (hashes.length) {
    const rows = await db.$queryRawUnsafe<{ profileId: string }[]>(
      `SELECT DISTINCT "profileId" FROM "Identifier" i
       JOIN jsonb_to_recordset($2::jsonb) AS x(type text, hash text) ON i.type = x.type::"IdentifierType" AND i.hash = x.hash
       WHERE i."workspaceId" = $1::uuid`,
      ws.id,
      JSON.stringify(hashes),
    );
    ids = rows.map((r) => r.profileId);
  }
  return {
    ids,
    nameTokens: email ? null : searchTokens(ws.hashSalt, q),
    customerNumber: number ? Number(number[1]) : null,
  };
}
