import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { type EmailPurpose, optIn, optOut, optOutState } from "../opt-out.ts";

/** The page's switches, in its order. */
export const PREFERENCE_CHANNELS = ["email", "sms", "whatsapp", "tracking"] as const;
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];

export const channelSwitchBody = z.object({
  channel: z.enum(PREFERENCE_CHANNELS),
  /** true: they may (opt in again); false: opt out. */
  allowed: z.boolean(),
});

export interface ChannelState {
  channel: PreferenceChannel;
  /** Whether the business may use it: no opt-out covers it. */
  allowed: boolean;
  /** Only part of it is stopped (marketing email, from an unsubscribe link): the switch is on, this says so. */
  partly: string | null;
}

const PURPOSE_WORDS = { marketing: "marketing", transactional: "account and order" } as const;

/**
 * Where the person stands on each of the page's channels (lib/privacy/opt-out.ts's state): a channel is off
 * when it, or everything, is opted out; an unsubscribe link's narrower opt-out leaves email on and says so.
 */
export async function preferenceChannels(db: Db, workspaceId: string, profileId: string): Promise<ChannelState[]> {
  const state = await optOutState(db, workspaceId, profileId);
  const off = (c: PreferenceChannel) => state.optedOut.includes(c) || state.optedOut.includes("all");
  return PREFERENCE_CHANNELS.map((channel) => {
    const purposes = channel === "email" && !off(channel) ? (Object.keys(state.emailPurposes) as EmailPurpose[]) : [];
    return {
      channel,
      allowed: !off(channel),
      partly: purposes.length ? `${purposes.map((p) => PURPOSE_WORDS[p]).join(" and ")} emails are off` : null,
    };
  });
}

/**
 * A switch on the page: opts the person out of (or back into) one channel through the one opt-out domain
 * (lib/privacy/opt-out.ts, which logs an opt-out as a request "via preferences", P12), then answers every
 * switch. Turning one channel back on under an opt-out of everything keeps the others off: the opt-out of
 * everything becomes one per channel.
 */
export async function setPreferenceChannel(
  db: Db,
  workspaceId: string,
  profileId: string,
  input: z.infer<typeof channelSwitchBody>,
): Promise<ChannelState[]> {
  if (!input.allowed) {
    await optOut(db, workspaceId, profileId, [input.channel], "preferences");
    return preferenceChannels(db, workspaceId, profileId);
  }
  const before = await optOutState(db, workspaceId, profileId);
  if (before.optedOut.includes("all")) {
    const others = PREFERENCE_CHANNELS.filter((c) => c !== input.channel);
    await optIn(db, workspaceId, profileId, ["all"], "preferences");
    await optOut(db, workspaceId, profileId, others, "preferences");
  } else await optIn(db, workspaceId, profileId, [input.channel], "preferences");
  return preferenceChannels(db, workspaceId, profileId);
}
