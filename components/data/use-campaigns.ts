"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { CampaignTable, Range, TouchKind } from "@/lib/campaigns/campaign-table.ts";
import { fetchJson } from "./fetch-json.ts";

/** The campaigns table as the API sends it (dates as ISO strings). */
export type CampaignsData = CampaignTable;

export function useCampaigns(slug: string, touch: TouchKind, range: Range) {
  return useQuery({
    queryKey: ["workspace", slug, "campaigns", touch, range],
    queryFn: () => fetchJson<CampaignsData>(`/api/app/${slug}/campaigns?touch=${touch}&range=${range}`),
    placeholderData: keepPreviousData,
  });
}
