import { z } from "zod";
import { campaignTable, RANGES, TOUCHES } from "@/lib/campaigns/campaign-table.ts";
import { withSession } from "@/lib/http/handlers.ts";

const query = z.object({
  touch: z.enum(TOUCHES).default("first"),
  range: z.enum(RANGES).default("30d"),
});

/** The campaigns page's table, for the logged-in member: people per source / medium / campaign. */
export const GET = withSession({}, async ({ req, workspace, db }) => {
  const q = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  const { timezone } = await db.workspace.findUniqueOrThrow({
    where: { id: workspace!.id },
    select: { timezone: true },
  });
  return Response.json(await campaignTable(db, workspace!.id, { ...q, timezone }));
});
