import { appUrl } from "../config/env.ts";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import type { Campaign } from "../identity/attribution.ts";
import { liveProfileIdOr404 } from "../identity/live-profile-id.ts";
import { newLinkCode } from "./random-ids.ts";
import type { CreateLinkInput } from "./schemas.ts";

export interface CreatedLink {
  code: string;
  shortUrl: string;
}

/** The public short URL of a code: `${APP_URL}/l/{code}`. */
export const shortUrlOf = (code: string) => `${appUrl()}/l/${code}`;

/** Only the campaign fields that carry a value. */
function cleanCampaign(campaign: CreateLinkInput["campaign"]): Campaign | null {
  const out: Campaign = {};
  for (const [k, v] of Object.entries(campaign ?? {})) {
    const value = typeof v === "string" ? v.trim() : "";
    if (value) out[k as keyof Campaign] = value;
  }
  return Object.keys(out).length ? out : null;
}

/**
 * A tracked link (POST /api/v1/links). A profile id must be a live profile of this workspace (a merged-away id
 * stands for its survivor; another workspace's is a 404). The code is random and unique: a collision (about
 * one in 10^17 per link) draws again.
 */
export async function createTrackedLink(db: Db, workspaceId: string, input: CreateLinkInput): Promise<CreatedLink> {
  const sql = sqlOf(db);
  const profileId = input.profileId ? await liveProfileIdOr404(sql, workspaceId, input.profileId) : null;
  const url = new URL(input.url).href;
  const campaign = cleanCampaign(input.campaign);
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newLinkCode();
    const rows = await sql.$queryRawUnsafe<{ code: string }[]>(
      `INSERT INTO "TrackedLink" (id, "workspaceId", code, url, "profileId", channel, campaign)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5::uuid, $6, $7::jsonb)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      uuidv7(),
      workspaceId,
      code,
      url,
      profileId,
      input.channel ?? null,
      campaign ? JSON.stringify(campaign) : null,
    );
    if (rows.length) return { code, shortUrl: shortUrlOf(code) };
  }
  throw new Error("Could not draw an unused link code.");
}
