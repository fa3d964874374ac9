import { isUuid } from "../db/uuidv7.ts";
import { badRequest } from "../errors.ts";

/** A keyset position in a conversation list or thread: the time and id of the last item shown. */
export interface Cursor {
  at: number;
  id: string;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.at, c.id])).toString("base64url");

/** The position a cursor of ours spells; anything else is a 400 naming `cursor`. */
export function decodeCursor(raw: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof at === "number" && Number.isSafeInteger(at) && Math.abs(at) <= 8.64e15 && isUuid(id)) return { at, id };
  } catch {}
  throw badRequest("cursor: not a cursor this API gave out", [{ path: "cursor", message: "is not valid" }]);
}
