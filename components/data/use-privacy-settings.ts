"use client";

import { useMutation } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json.ts";

/** Settings → Privacy's editable part (lib/privacy/privacy-settings.ts). */
export interface PrivacySettingsData {
  retentionMonths: number;
  customerRetentionMonths: number | null;
  honorDoNotTrack: boolean;
}

export function useUpdatePrivacySettings(slug: string) {
  return useMutation({
    mutationFn: (body: Partial<PrivacySettingsData>) =>
      fetchJson<PrivacySettingsData>(`/api/app/${slug}/settings/privacy`, { method: "PATCH", body }),
  });
}
