import { z } from "zod";
import { campaignTable, RANGES, TOUCHES } from "@/lib/campaigns/campaign-table.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";

const query = z.object({
  touch: z.enum(TOUCHES).default("first"),
  range: z.enum(RANGES).default("30d"),
});

/** The campaigns page's table, for the logged-in member: people per source / medium / campaign. */
export const GET = withWorkspace({ query }, async ({ query, workspace, db }) =>
  Response.json(await campaignTable(db, workspace.id, { ...query, timezone: workspace.timezone })),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
