import type { Db } from "../../db/client.ts";
import { uuidv7 } from "../../db/uuidv7.ts";
import type { PreparedIdentifier } from "../../identity/prepare-identity.ts";

/** Twilio's own opt-out and opt-in keywords (P7), each the whole message, in any case. */
const STOP = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const START = new Set(["START", "UNSTOP"]);

export function optKeyword(body: string): "stop" | "start" | null {
  const word = body.trim().toUpperCase();
  return STOP.has(word) ? "stop" : START.has(word) ? "start" : null;
}

export const OPT_OUT_REASON = "twilio_stop";

/**
 * The phone's opt-out of one channel (`sms` or `whatsapp`), as a Suppression over the phone's hash with that
 * channel as its scope: the same list consent withdrawal writes (scope "all" for a device), read by sends
 * (409 `opted_out`). START/UNSTOP removes it. Idempotent, so a retried delivery runs it again safely.
 */
export async function setChannelOptOut(
  db: Db,
  workspaceId: string,
  identifiers: readonly PreparedIdentifier[],
  channel: string,
  optedOut: boolean,
) {
  const phones = [...new Set(identifiers.filter((i) => i.type === "phone").map((i) => i.hash))];
  for (const hash of phones) {
    if (optedOut)
      await db.suppression.createMany({
        data: [{ id: uuidv7(), workspaceId, type: "phone", hash, scope: channel, reason: OPT_OUT_REASON }],
        skipDuplicates: true,
      });
    else await db.suppression.deleteMany({ where: { workspaceId, type: "phone", hash, scope: channel } });
  }
  return phones.length;
}
