import { z } from "zod";
import { RANGES, TOUCHES } from "./campaign-table.ts";

// A NUL cannot reach Postgres in a text parameter (it would be a 500): such a filter is malformed.
const tag = z
  .string()
  .max(2000)
  .regex(/^[^\0]*$/, "must not contain a NUL character");

/**
 * One row of the campaigns table as a filter of the customers list: the people whose first (or last) touch
 * was that source / medium / campaign, within the same range. In URLs as
 * `?touch=first&range=30d&source=google&medium=cpc&campaign=spring` (medium and campaign may be empty).
 */
export const campaignFilterSchema = z.object({
  touch: z.enum(TOUCHES).default("first"),
  range: z.enum(RANGES).default("all"),
  source: tag.min(1),
  medium: tag.default(""),
  campaign: tag.default(""),
});
export type CampaignFilter = z.output<typeof campaignFilterSchema>;

/** The filter in a page's search params, or null when there is none (no `source`) or it is malformed. */
export function campaignFilterOf(params: Record<string, string | string[] | undefined>): CampaignFilter | null {
  if (typeof params.source !== "string") return null;
  const parsed = campaignFilterSchema.safeParse(params);
  return parsed.success ? parsed.data : null;
}

export function campaignFilterParams(f: CampaignFilter): Record<string, string> {
  return { touch: f.touch, range: f.range, source: f.source, medium: f.medium, campaign: f.campaign };
}

/**
 * The customers list filtered to one campaigns row: only the filter's own fields in the query (a row object
 * spread into URLSearchParams once put `creatives=[object Object]` in these links).
 */
export function campaignPeopleHref(slug: string, f: CampaignFilter) {
  return `/app/${slug}/people?${new URLSearchParams(campaignFilterParams(f))}`;
}
