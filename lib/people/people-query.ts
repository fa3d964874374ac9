import { z } from "zod";
import {
  type CampaignFilter,
  campaignFilterOf,
  campaignFilterParams,
  campaignFilterSchema,
} from "../campaigns/campaign-filter.ts";
import { RANGES, TOUCHES } from "../campaigns/campaign-table.ts";
import { PEOPLE_SORTS, type PeopleQuery, type PeopleSort } from "./list-people.ts";
import { MAX_SEARCH } from "./search-people.ts";

/**
 * The customers list's query, the same for its page (`/app/{ws}/people?…`) and its JSON
 * (`/api/app/{ws}/people?…`): `q`, `rung` 0–4, `sort`, `after`/`before` cursors, `limit`, and a campaigns row
 * (`touch`, `range`, `source`, `medium`, `campaign`; campaign-filter.ts).
 */
export const peopleQuerySchema = z.object({
  q: z.string().max(MAX_SEARCH).optional(),
  rung: z.coerce.number().int().min(0).max(4).optional(),
  sort: z.enum(PEOPLE_SORTS).default("active"),
  after: z.string().max(200).optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  touch: z.enum(TOUCHES).optional(),
  range: z.enum(RANGES).optional(),
  source: campaignFilterSchema.shape.source.optional(),
  medium: campaignFilterSchema.shape.medium.unwrap().optional(),
  campaign: campaignFilterSchema.shape.campaign.unwrap().optional(),
});
export type PeopleQueryInput = z.output<typeof peopleQuerySchema>;

/** The list's own query from the parsed parameters. */
export function toPeopleQuery(input: PeopleQueryInput): PeopleQuery {
  return {
    q: input.q,
    rung: input.rung,
    sort: input.sort,
    after: input.after,
    before: input.before,
    limit: input.limit,
    campaign: input.source
      ? campaignFilterSchema.parse({
          touch: input.touch,
          range: input.range,
          source: input.source,
          medium: input.medium,
          campaign: input.campaign,
        })
      : null,
  };
}

/**
 * For the page: what the URL asks, each malformed part dropped (an edited URL shows the list, not an error).
 */
export function peopleQueryFromSearch(sp: Record<string, string | string[] | undefined>): PeopleQuery {
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : undefined);
  const pick = <T>(schema: z.ZodType<T>, v: unknown): T | undefined => {
    const r = schema.safeParse(v);
    return r.success ? r.data : undefined;
  };
  return {
    q: one("q")?.slice(0, MAX_SEARCH),
    rung: pick(peopleQuerySchema.shape.rung, one("rung")),
    sort: pick(z.enum(PEOPLE_SORTS), one("sort")) ?? "active",
    after: one("after"),
    before: one("before"),
    limit: 50,
    campaign: campaignFilterOf(sp),
  };
}

/** The page's URL for a query, with `change` applied (undefined removes a parameter). */
export function peopleHref(
  slug: string,
  q: { q?: string; rung?: number; sort?: PeopleSort; campaign?: CampaignFilter | null },
  change: { q?: string; rung?: number; sort?: PeopleSort; after?: string; before?: string; campaign?: null } = {},
) {
  const params = new URLSearchParams();
  const campaign = "campaign" in change ? null : q.campaign;
  // A campaign filter keeps its empty medium / campaign: they are part of the row it names.
  if (campaign) for (const [k, v] of Object.entries(campaignFilterParams(campaign))) params.set(k, v);
  const merged = { q: q.q, rung: q.rung, sort: q.sort, ...change };
  if (merged.q) params.set("q", merged.q);
  if (merged.rung !== undefined) params.set("rung", String(merged.rung));
  if (merged.sort && merged.sort !== "active") params.set("sort", merged.sort);
  if (merged.after) params.set("after", merged.after);
  if (merged.before) params.set("before", merged.before);
  const s = params.toString();
  return `/app/${slug}/people${s ? `?${s}` : ""}`;
}
