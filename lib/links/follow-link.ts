import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import type { Campaign } from "../identity/attribution.ts";
import { loadWorkspaceForIngest } from "../ingest/load-workspace.ts";
import { inRecordingTransaction, recordProfileEventTx } from "../ingest/record-profile-event.ts";
import { sanitizeUrl } from "../privacy/redact-url.ts";
import { withClickId } from "./landing-url.ts";
import { LINK_CODE, newClickId } from "./random-ids.ts";

interface LinkRow {
  id: string;
  workspaceId: string;
  url: string;
  profileId: string | null;
  channel: string | null;
  campaign: Campaign | null;
}

export interface FollowedLink {
  /** Where to send the visitor (302). */
  location: string;
  /** The click id appended as `ot_c`, or null when the request was not counted (a bot, a HEAD). */
  clickId: string | null;
  /** The `pixel/link_clicked` event stored, if the link has a person who may be tracked. */
  eventId: string | null;
}

/**
 * Opening a tracked link (GET /l/{code}). Unknown code: null. A request that is not a person's click (`count`
 * false: a bot, a link previewer, a HEAD) is sent to the plain target and leaves no trace. A click gets an
 * unguessable click id appended as `ot_c`, a LinkClick row, and — when the link belongs to a person — a
 * `pixel/link_clicked` event on them (through merges, at their rung) carrying the link's channel and campaign,
 * all in one transaction committed before the redirect, so the landing page's `link_click` finds it (R14).
 * Nothing of the request itself (IP, user agent) is stored (P6).
 */
export async function followLink(db: Db, code: string, options: { count: boolean }): Promise<FollowedLink | null> {
  if (!LINK_CODE.test(code)) return null;
  const [link] = await sqlOf(db).$queryRawUnsafe<LinkRow[]>(
    `SELECT id, "workspaceId", url, "profileId", channel, campaign FROM "TrackedLink" WHERE code = $1`,
    code,
  );
  if (!link) return null;
  if (!options.count) return { location: link.url, clickId: null, eventId: null };

  const clickId = newClickId();
  const occurredAt = new Date();
  const ws = link.profileId ? await loadWorkspaceForIngest(db, link.workspaceId) : null;
  const eventId = await inRecordingTransaction(db, async (tx) => {
    const recorded =
      ws && link.profileId
        ? await recordProfileEventTx(tx, ws, link.profileId, {
            id: `lc_${clickId}`,
            source: "pixel",
            type: "link_clicked",
            occurredAt,
            channel: link.channel,
            campaign: link.campaign,
            properties: {
              code,
              link: linkLabel(link.url),
              target: link.url,
              ...(link.channel ? { channel: link.channel } : {}),
              ...(link.campaign ? { campaign: link.campaign } : {}),
            },
          })
        : null;
    // The click joins the landing device to the person only when the event could be recorded on them:
    // an erased or opted-out person (R18) is not followed onto a new device.
    await tx.$executeRawUnsafe(
      `INSERT INTO "LinkClick" (id, "workspaceId", "linkId", "clickId", "profileId", "eventId", "occurredAt")
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid, $6::uuid, $7)`,
      uuidv7(),
      link.workspaceId,
      link.id,
      clickId,
      recorded?.profileId ?? null,
      recorded?.eventId ?? null,
      occurredAt,
    );
    return recorded?.eventId ?? null;
  });
  return { location: withClickId(link.url, clickId), clickId, eventId };
}

/** `acme.test/pricing/` for the timeline's summary ("Clicked the acme.test/pricing/ link"). */
function linkLabel(url: string) {
  return (sanitizeUrl(url, { keepOrigin: true, keepParams: false }) ?? "").replace(/^https?:\/\//, "").slice(0, 200);
}
