import type { Db } from "../../db/client.ts";
import { PRISMA_TX } from "../../db/raw-sql.ts";
import { withRetry } from "../../db/retry.ts";
import { lockLiveProfiles } from "../../identity/lock-profiles.ts";
import type { PreparedIdentifier } from "../../identity/prepare-identity.ts";
import { liftOptOut, REASON_OF_VIA, writeOptOut } from "../../privacy/opt-out.ts";

/** Twilio's own opt-out and opt-in keywords (P7), each the whole message, in any case. */
const STOP = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const START = new Set(["START", "UNSTOP"]);

export function optKeyword(body: string): "stop" | "start" | null {
  const word = body.trim().toUpperCase();
  return STOP.has(word) ? "stop" : START.has(word) ? "start" : null;
}

export const OPT_OUT_REASON = REASON_OF_VIA.sms;

/**
 * The phone's opt-out of one channel (`sms` or `whatsapp`) by SMS STOP (or Twilio's own STOP list, 21610),
 * written by the one writer of opt-outs (lib/privacy/opt-out.ts): a Suppression with the channel as its scope
 * over this number and every other phone of the person holding it, read by sends (409 `opted_out`), and an
 * opt-out request via `sms` in the same transaction (P12). START/UNSTOP lifts the channel again. Idempotent,
 * so a retried delivery runs it again safely. Answers how many of the message's numbers it could read.
 */
export async function setChannelOptOut(
  db: Db,
  workspaceId: string,
  identifiers: readonly PreparedIdentifier[],
  channel: "sms" | "whatsapp",
  optedOut: boolean,
) {
  const phones = [...new Set(identifiers.filter((i) => i.type === "phone").map((i) => i.hash))];
  if (!phones.length) return 0;
  const extra = phones.map((hash) => ({ type: "phone" as const, hash }));
  await withRetry(() =>
    db.$transaction(async (tx) => {
      const holder = await tx.identifier.findFirst({
        where: { workspaceId, type: "phone", hash: { in: phones } },
        select: { profileId: true },
      });
      const [live] = holder ? ((await lockLiveProfiles(tx, workspaceId, [holder.profileId])) ?? []) : [];
      const profileId = live?.id ?? null;
      if (optedOut)
        await writeOptOut(tx, {
          workspaceId,
          profileId,
          extra,
          scopes: [{ scope: channel, types: ["phone"] }],
          via: "sms",
          asked: [channel],
        });
      else await liftOptOut(tx, { workspaceId, profileId, extra, scopes: [channel], via: "sms" });
    }, PRISMA_TX),
  );
  return phones.length;
}
