import { z } from "zod";
import { CHANNELS, campaignSchema, storable } from "../ingest/schemas.ts";

/** API.md's limit on a tracked link's target. */
export const MAX_URL_LENGTH = 2048;

/** An absolute http(s) URL with a host (no `javascript:`, no relative paths), at most 2,048 characters. */
export const targetUrlSchema = z
  .string()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .refine(storable, "must not contain NUL characters or unpaired surrogates")
  .refine(isHttpUrl, "must be an absolute http:// or https:// URL");

function isHttpUrl(value: string) {
  if (!/^https?:\/\//i.test(value.trim())) return false;
  try {
    const u = new URL(value);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** UTM tags and ad click ids (the event schema's campaign without `referrer`); an unknown key is an error here. */
export const linkCampaignSchema = campaignSchema.omit({ referrer: true }).strict();

/** POST /api/v1/links */
export const createLinkSchema = z.object({
  url: targetUrlSchema,
  profileId: z.string().max(64).nullish(),
  channel: z.enum(CHANNELS).nullish(),
  campaign: linkCampaignSchema.nullish(),
});
export type CreateLinkInput = z.output<typeof createLinkSchema>;
