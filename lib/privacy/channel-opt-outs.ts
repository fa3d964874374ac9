import type { Db, Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";

/** The channels a business sends on, each refused once the person opted out of it (P7). */
export const SEND_CHANNELS = ["email", "sms", "whatsapp"] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

/** The identifier type a channel reaches the person through. */
const ADDRESS_TYPE: Record<SendChannel, "email" | "phone"> = { email: "email", sms: "phone", whatsapp: "phone" };

export interface ChannelOptOut {
  channel: SendChannel;
  /** The Suppression scope that stops it: the channel itself, `email:<purpose>` (one purpose), or `all`. */
  scope: string;
  reason: string;
  since: Date;
}

/**
 * Every opt-out standing between the business and this person, read from the one suppression list (hashes
 * only, R18): a Suppression over one of the person's email or phone hashes whose scope is the channel
 * (`sms`, `whatsapp`, `email`), one email purpose (`email:marketing`, from an unsubscribe link) or `all`.
 * Sends check it right before calling the provider; the person's page and the preferences page show it.
 */
export async function channelOptOuts(db: Db | Tx, workspaceId: string, profileId: string): Promise<ChannelOptOut[]> {
  const identifiers = await db.identifier.findMany({
    where: { workspaceId, profileId, type: { in: ["email", "phone"] } },
    select: { type: true, hash: true },
  });
  if (!identifiers.length) return [];
  const rows = await db.suppression.findMany({
    where: { workspaceId, OR: identifiers.map((i) => ({ type: i.type, hash: i.hash })) },
    select: { type: true, scope: true, reason: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  return optOutsOf(rows);
}

/** A person's suppressions (over their email and phone hashes, oldest first) as the channels they stop. */
export function optOutsOf(
  rows: readonly { type: string; scope: string; reason: string; createdAt: Date }[],
): ChannelOptOut[] {
  const out: ChannelOptOut[] = [];
  for (const row of rows)
    for (const channel of SEND_CHANNELS) {
      if (ADDRESS_TYPE[channel] !== row.type) continue;
      const covers =
        row.scope === "all" || row.scope === channel || (channel === "email" && row.scope.startsWith("email:"));
      if (covers) out.push({ channel, scope: row.scope, reason: row.reason, since: row.createdAt });
    }
  return out;
}

/**
 * Throws 409 `opted_out` when the person may not be sent this: opted out of the channel, of everything, or
 * (email) of this purpose. Transactional mail is stopped by a channel-wide opt-out but not by a marketing
 * unsubscribe; a marketing send is stopped by either.
 */
export async function assertMaySend(
  db: Db | Tx,
  workspaceId: string,
  profileId: string,
  channel: SendChannel,
  purpose: "transactional" | "marketing",
): Promise<void> {
  const stops = (await channelOptOuts(db, workspaceId, profileId)).filter(
    (o) => o.channel === channel && (!o.scope.startsWith("email:") || o.scope === `email:${purpose}`),
  );
  if (stops.length)
    throw new AppError(
      "opted_out",
      409,
      `This person opted out of ${channel === "email" ? "email" : channel === "sms" ? "SMS" : "WhatsApp"}${
        stops[0]?.scope.startsWith("email:") ? ` (${purpose})` : ""
      } on ${stops[0]?.since.toISOString().slice(0, 10)}; nothing was sent.`,
    );
}
