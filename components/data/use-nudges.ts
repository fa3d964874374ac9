"use client";

import { useMutation } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json.ts";

export type NudgeRuleId = "pricing_return" | "quote_no_reply" | "missed_call";

/** Settings → Nudges (lib/nudges/nudge-settings.ts), as the browser sees it. */
export interface NudgeSettingsData {
  rules: Record<NudgeRuleId, { enabled: boolean; since: string | null }>;
  pricingPath: string;
  webhookUrl: string | null;
  hasWebhookSecret: boolean;
  emailOwners: boolean;
  /** Only in the answer that made a new signing secret. */
  webhookSecret?: string;
}

export interface NudgeSettingsChange {
  rules?: Partial<Record<NudgeRuleId, boolean>>;
  pricingPath?: string;
  webhookUrl?: string | null;
  emailOwners?: boolean;
  rotateSecret?: true;
}

export function useUpdateNudgeSettings(slug: string) {
  return useMutation({
    mutationFn: (body: NudgeSettingsChange) =>
      fetchJson<NudgeSettingsData>(`/api/app/${slug}/settings/nudges`, { method: "PATCH", body }),
  });
}

export function useMarkNudge(slug: string) {
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; done?: boolean; seen?: true }) =>
      fetchJson<{ id: string }>(`/api/app/${slug}/nudges/${id}`, { method: "PATCH", body }),
  });
}
