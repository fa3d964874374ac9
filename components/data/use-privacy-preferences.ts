"use client";

import { useMutation } from "@tanstack/react-query";
import type { ChannelState, PreferenceChannel } from "@/lib/privacy/preferences/channels.ts";
import { fetchJson } from "./fetch-json.ts";

const BASE = "/privacy/preferences/me";

/** The person's own actions on their privacy page: a channel switch, and deleting everything. */
export function usePrivacyPreferences() {
  return {
    setChannel: useMutation({
      mutationFn: (input: { channel: PreferenceChannel; allowed: boolean }) =>
        fetchJson<{ channels: ChannelState[] }>(`${BASE}/channels`, { method: "POST", body: input }),
    }),
    deleteAll: useMutation({
      mutationFn: () =>
        fetchJson<{ deleted: true; business: string; deletedAt: string; cancelledSends: number }>(`${BASE}/delete`, {
          method: "POST",
          body: { confirm: "delete" },
        }),
    }),
  };
}
