import { z } from "zod";
import type { Db } from "../db/client.ts";
import { AppError, notFound } from "../errors.ts";
import { forgetWorkspaceForIngest } from "../ingest/load-workspace.ts";
import { BUSINESS_TYPES } from "../topics/business-types.ts";
import { ensureStarterTopics } from "../topics/starter-topics.ts";
import { countrySchema, timezoneSchema } from "./create-workspace.ts";

export const settingsInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    timezone: timezoneSchema,
    defaultCountry: countrySchema,
    region: z.enum(["eu", "us"]),
    retentionMonths: z
      .number("must be a number of months")
      .int("must be a whole number of months")
      .min(1, "must be at least 1 month")
      .max(120, "must be at most 120 months"),
    /** The starter topic vocabulary (decision 019); "" or null: not said. */
    businessType: z.union([z.enum(BUSINESS_TYPES), z.literal("").transform(() => null), z.null()]),
  })
  .partial();

/**
 * Changes a workspace's settings. The region is fixed once the workspace holds people: their rows live in
 * that region's database (PRIVACY.md P15), so moving them is a migration, not a setting.
 */
export async function updateSettings(db: Db, workspaceId: string, raw: z.input<typeof settingsInput>) {
  const input = settingsInput.parse(raw);
  const current = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { region: true, businessType: true },
  });
  if (!current) throw notFound("No such workspace.");
  if (input.region && input.region !== current.region) {
    const people = await db.profile.count({ where: { workspaceId } });
    if (people > 0) {
      throw new AppError(
        "conflict",
        409,
        `The region cannot change once the workspace holds data (${people} people are stored in the ${current.region.toUpperCase()} region).`,
        [{ path: "region", message: "fixed once the workspace holds data" }],
      );
    }
  }
  const saved = await db.workspace.update({
    where: { id: workspaceId },
    data: input,
    select: {
      name: true,
      timezone: true,
      defaultCountry: true,
      region: true,
      retentionMonths: true,
      slug: true,
      businessType: true,
    },
  });
  // A newly chosen business type brings its starter topics (the ones the owner has are left as they are).
  if (input.businessType && input.businessType !== current.businessType)
    await ensureStarterTopics(db, workspaceId, input.businessType);
  // Ingestion caches the timezone and default country for a few seconds: this process uses the new ones at once.
  forgetWorkspaceForIngest(workspaceId);
  return saved;
}
