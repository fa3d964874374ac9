import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { deliverNudges } from "./deliver-nudges.ts";
import { RULE_DELAY_MS } from "./rules.ts";

export const NUDGES_JOB = "nudges";

/** Occurrences are looked at again this far behind the last scan: events that arrive late still count. */
const OVERLAP_MS = 3_600_000;
const PAGE = 500;
/** Per workspace and rule per run: a backlog is worked off over the next runs, never in one long one. */
const MAX_PAGES = 10;
const MIN_ID = "00000000-0000-0000-0000-000000000000";

type TimedRule = keyof typeof RULE_DELAY_MS;

/** What the person or the business did that answers the occurrence (docs/decisions/020). */
const ANSWER: Record<TimedRule, { event: string; answer: string; occurrence: string }> = {
  // A reply from the person: an inbound message, email, call, voicemail or form.
  quote_no_reply: {
    event: "email_opened",
    answer: `(r.type IN ('email_replied', 'email_received', 'message_in', 'call_in', 'call_missed', 'voicemail', 'form_submit')
              OR (r.source = 'channel' AND r.direction = 'in'))`,
    // One per email: OneThread's own send, Resend's email id, the open pixel's send; else the opening itself.
    occurrence: `COALESCE(NULLIF(e.properties->>'emailSendId', ''), NULLIF(e.properties->>'messageId', ''),
                  substring(e."clientId" from '^eo_([0-9a-f-]{36})_'), e.id::text)`,
  },
  // The business got back to them: a call or a message out, an email sent, or a call that connected.
  missed_call: {
    event: "call_missed",
    answer: `(r.type IN ('call_out', 'message_out', 'email_sent', 'call_in')
              OR (r.source IN ('channel', 'agent') AND r.direction = 'out'))`,
    occurrence: `e.id::text`,
  },
};

/**
 * The time-based rules (`quote_no_reply`, `missed_call`), every 5 minutes: for each workspace with one on, the
 * occurrences whose wait ended since the last scan (an hour of overlap for late events) are read in keyset pages
 * of 500 along "Event_nudge_idx", and each page is ONE statement that inserts the nudges of the unanswered
 * ones (`ON CONFLICT DO NOTHING` on the rule's unique key: a second run, another instance or the overlap fire
 * nothing twice). The scan position is kept per workspace and rule. Then due webhook deliveries and emails.
 */
export async function runNudges(db: Db, now: Date) {
  const settings = await db.nudgeSettings.findMany({
    where: { OR: [{ quoteSince: { not: null } }, { missedCallSince: { not: null } }] },
    select: {
      workspaceId: true,
      quoteSince: true,
      missedCallSince: true,
      webhookUrl: true,
      emailOwners: true,
      scannedUntil: true,
    },
  });
  let fired = 0;
  let scanned = 0;
  let behind = 0;
  for (const s of settings) {
    const cursors = { ...((s.scannedUntil ?? {}) as Record<string, string>) };
    for (const rule of ["quote_no_reply", "missed_call"] as const) {
      const since = rule === "quote_no_reply" ? s.quoteSince : s.missedCallSince;
      if (!since) continue;
      const until = new Date(now.getTime() - RULE_DELAY_MS[rule]);
      const last = cursors[rule] ? new Date(cursors[rule]) : null;
      const from = new Date(Math.max(since.getTime(), (last?.getTime() ?? 0) - OVERLAP_MS));
      if (from >= until) continue;
      const r = await scanRule(db, s, rule, from, until);
      fired += r.fired;
      scanned += r.scanned;
      if (r.reached < until) behind++;
      if (!last || r.reached > last) cursors[rule] = r.reached.toISOString();
    }
    await db.nudgeSettings.update({ where: { workspaceId: s.workspaceId }, data: { scannedUntil: cursors } });
  }
  const deliveries = await deliverNudges(db, now);
  return { workspaces: settings.length, scanned, fired, behind, ...deliveries };
}

async function scanRule(
  db: Db,
  s: { workspaceId: string; webhookUrl: string | null; emailOwners: boolean },
  rule: TimedRule,
  from: Date,
  until: Date,
): Promise<{ fired: number; scanned: number; reached: Date }> {
  const a = ANSWER[rule];
  const sql = sqlOf(db);
  let at = from;
  let id = MIN_ID;
  let fired = 0;
  let scanned = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const [row] = await sql.$queryRawUnsafe<{ n: number; lastAt: Date | null; lastId: string | null; fired: number }[]>(
      `WITH page AS (
         SELECT e.id, e."profileId", e."occurredAt", ${a.occurrence} AS occurrence FROM "Event" e
         WHERE e."workspaceId" = $1::uuid AND e.type = $2 AND e."profileId" IS NOT NULL
           AND (e."occurredAt", e.id) > ($3::timestamptz, $4::uuid) AND e."occurredAt" <= $5
         ORDER BY e."occurredAt", e.id LIMIT $6
       ),
       due AS (
         SELECT e.* FROM page e
         JOIN "Profile" p ON p.id = e."profileId" AND p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL
           AND p."optedOutAt" IS NULL
         WHERE NOT EXISTS (
           SELECT 1 FROM "Event" r
           WHERE r."workspaceId" = $1::uuid AND r."profileId" = e."profileId"
             AND r."occurredAt" > e."occurredAt" AND r."occurredAt" <= e."occurredAt" + $7::interval AND ${a.answer})
           -- An email opened again: only its first opening counts (its wait started then).
           AND ($2 <> 'email_opened' OR NOT EXISTS (
             SELECT 1 FROM "Event" o
             WHERE o."workspaceId" = $1::uuid AND o."profileId" = e."profileId" AND o.type = 'email_opened'
               AND (o."occurredAt", o.id) < (e."occurredAt", e.id)
               AND ${a.occurrence.replaceAll("e.", "o.")} = e.occurrence))
       ),
       ins AS (
         INSERT INTO "Nudge" (id, "workspaceId", "profileId", kind, occurrence, "eventId", "occurredAt", "webhookState", "webhookNextAt", "emailState")
         SELECT gen_random_uuid(), $1::uuid, "profileId", $8, occurrence, id, "occurredAt",
                CASE WHEN $9 THEN 'pending' END, CASE WHEN $9 THEN now() END, CASE WHEN $10 THEN 'pending' END
         FROM due ORDER BY "occurredAt", id
         ON CONFLICT ("workspaceId", "profileId", kind, occurrence) DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*)::int FROM page) AS n,
              (SELECT "occurredAt" FROM page ORDER BY "occurredAt" DESC, id DESC LIMIT 1) AS "lastAt",
              (SELECT id FROM page ORDER BY "occurredAt" DESC, id DESC LIMIT 1) AS "lastId",
              (SELECT count(*)::int FROM ins) AS fired`,
      s.workspaceId,
      a.event,
      at,
      id,
      until,
      PAGE,
      `${RULE_DELAY_MS[rule] / 1000} seconds`,
      rule,
      !!s.webhookUrl,
      s.emailOwners,
    );
    scanned += row?.n ?? 0;
    fired += row?.fired ?? 0;
    if (!row || row.n < PAGE || !row.lastAt || !row.lastId) return { fired, scanned, reached: until };
    at = row.lastAt;
    id = row.lastId;
  }
  return { fired, scanned, reached: at };
}
