-- DropIndex
DROP INDEX "Conversation_workspaceId_unansweredSince_idx";

-- AlterTable
ALTER TABLE "Conversation" DROP COLUMN "unansweredSince";

-- CreateTable
CREATE TABLE "PersonThread" (
    "profileId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "lastTurnAt" TIMESTAMPTZ(3) NOT NULL,
    "lastTurnId" UUID NOT NULL,
    "lastChannel" TEXT,
    "awaiting" BOOLEAN NOT NULL,
    "waitingSince" TIMESTAMPTZ(3),

    CONSTRAINT "PersonThread_pkey" PRIMARY KEY ("profileId")
);

-- CreateIndex
CREATE INDEX "PersonThread_workspaceId_lastTurnAt_lastTurnId_idx" ON "PersonThread"("workspaceId", "lastTurnAt" DESC, "lastTurnId" DESC);

-- CreateIndex
CREATE INDEX "PersonThread_awaiting_idx" ON "PersonThread"("workspaceId", "lastTurnAt" DESC, "lastTurnId" DESC) WHERE (awaiting);

-- CreateIndex
CREATE INDEX "PersonThread_waiting_since_idx" ON "PersonThread"("workspaceId", "waitingSince") WHERE (awaiting);

-- AddForeignKey
ALTER TABLE "PersonThread" ADD CONSTRAINT "PersonThread_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───────────── One conversation per person, kept by the database (docs/decisions/017-person-threads.md) ─────────────
-- Replaces Conversation."unansweredSince" (kept from Message per channel, decision 011): the conversations list
-- (decision 012) counts a person's thread as unanswered from their turns across every channel, and the two
-- disagreed (an email reply, a missed call or an agent's turn in a WhatsApp thread is a turn but no Message,
-- and a thread per channel is not a conversation per person). The predicates below are turnSql, awaitingSql
-- and turnChannelSql of lib/conversations/turns.ts in the same words (tests/integration/person-threads.test.ts
-- compares them).

-- PersonThread from scratch for some people: their newest turn (one probe of the (workspaceId, profileId,
-- occurredAt, id) index, newest first), whether it wants an answer, and since when. People merged away or
-- left without any turn lose their row.
CREATE FUNCTION onethread_refresh_person_thread(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;

  WITH want AS (
    SELECT p.id, p."workspaceId", t.id AS "turnId", t."occurredAt", t.channel, t.awaiting,
      CASE WHEN t.awaiting THEN (
        SELECT min(w."occurredAt") FROM "Event" w
        WHERE w."workspaceId" = p."workspaceId" AND w."profileId" = p.id AND (w."profileId" IS NOT NULL AND ((w.source = 'channel' AND w.type <> 'message_status') OR (w.source = 'email' AND w.type IN ('email_sent', 'email_replied', 'email_received')) OR (w.source = 'agent' AND w.channel IS NOT NULL AND w.channel <> 'web')))
          AND w."occurredAt" > COALESCE((
            SELECT o."occurredAt" FROM "Event" o
            WHERE o."workspaceId" = p."workspaceId" AND o."profileId" = p.id AND (o."profileId" IS NOT NULL AND ((o.source = 'channel' AND o.type <> 'message_status') OR (o.source = 'email' AND o.type IN ('email_sent', 'email_replied', 'email_received')) OR (o.source = 'agent' AND o.channel IS NOT NULL AND o.channel <> 'web')))
              AND NOT COALESCE((o.type IN ('message_in', 'call_missed', 'voicemail', 'email_replied', 'email_received') OR (o.source = 'channel' AND o.direction = 'in' AND o.type <> 'call_in')), false)
            ORDER BY o."occurredAt" DESC, o.id DESC LIMIT 1), '-infinity')
      ) END AS since
    FROM "Profile" p
    CROSS JOIN LATERAL (
      SELECT e.id, e."occurredAt", COALESCE(e.channel, CASE WHEN e.source = 'email' THEN 'email' WHEN e.type IN ('call_in', 'call_out', 'call_missed', 'voicemail') THEN 'voice' END) AS channel, COALESCE((e.type IN ('message_in', 'call_missed', 'voicemail', 'email_replied', 'email_received') OR (e.source = 'channel' AND e.direction = 'in' AND e.type <> 'call_in')), false) AS awaiting
      FROM "Event" e
      WHERE e."workspaceId" = p."workspaceId" AND e."profileId" = p.id AND (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web')))
      ORDER BY e."occurredAt" DESC, e.id DESC LIMIT 1
    ) t
    WHERE p.id = ANY(ids) AND p."mergedIntoId" IS NULL
  ),
  gone AS (
    DELETE FROM "PersonThread" x
    WHERE x."profileId" = ANY(ids) AND NOT EXISTS (SELECT 1 FROM want w WHERE w.id = x."profileId")
  )
  INSERT INTO "PersonThread" ("profileId", "workspaceId", "lastTurnAt", "lastTurnId", "lastChannel", awaiting, "waitingSince")
  SELECT id, "workspaceId", "occurredAt", "turnId", channel, awaiting, since FROM want ORDER BY id
  ON CONFLICT ("profileId") DO UPDATE SET "workspaceId" = EXCLUDED."workspaceId", "lastTurnAt" = EXCLUDED."lastTurnAt",
    "lastTurnId" = EXCLUDED."lastTurnId", "lastChannel" = EXCLUDED."lastChannel", awaiting = EXCLUDED.awaiting,
    "waitingSince" = EXCLUDED."waitingSince"
  WHERE ("PersonThread"."lastTurnAt", "PersonThread"."lastTurnId", "PersonThread"."lastChannel", "PersonThread".awaiting,
         "PersonThread"."waitingSince")
    IS DISTINCT FROM (EXCLUDED."lastTurnAt", EXCLUDED."lastTurnId", EXCLUDED."lastChannel", EXCLUDED.awaiting,
         EXCLUDED."waitingSince");
END
$fn$;

-- The people whose turns a statement added, removed or changed (a page view, the usual insert, touches none:
-- the transition table is scanned once and nothing else runs). Updates that leave every turn as it was —
-- ingestion's rewrites, status callbacks — find nothing through the EXCEPTs.
CREATE FUNCTION onethread_person_thread() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM onethread_refresh_person_thread(ARRAY(
      SELECT DISTINCT e."profileId" FROM new_rows e WHERE (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web'))) ORDER BY 1));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM onethread_refresh_person_thread(ARRAY(
      SELECT DISTINCT e."profileId" FROM old_rows e WHERE (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web'))) ORDER BY 1));
  ELSE
    PERFORM onethread_refresh_person_thread(ARRAY(
      SELECT "profileId" FROM (
        SELECT e."profileId", e.id, e."occurredAt", e.source, e.type, e.channel, e.direction FROM new_rows e WHERE (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web')))
        EXCEPT SELECT e."profileId", e.id, e."occurredAt", e.source, e.type, e.channel, e.direction FROM old_rows e WHERE (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web')))) AS n
      UNION SELECT "profileId" FROM (
        SELECT e."profileId", e.id, e."occurredAt", e.source, e.type, e.channel, e.direction FROM old_rows e WHERE (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web')))
        EXCEPT SELECT e."profileId", e.id, e."occurredAt", e.source, e.type, e.channel, e.direction FROM new_rows e WHERE (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web')))) AS o
      ORDER BY 1));
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER person_thread_insert AFTER INSERT ON "Event" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_thread();
CREATE TRIGGER person_thread_update AFTER UPDATE ON "Event" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_thread();
CREATE TRIGGER person_thread_delete AFTER DELETE ON "Event" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_thread();

-- The Message-based rollup it replaces.
DROP TRIGGER unanswered_insert ON "Message";
DROP TRIGGER unanswered_update ON "Message";
DROP TRIGGER unanswered_delete ON "Message";
DROP FUNCTION onethread_unanswered();
DROP FUNCTION onethread_refresh_unanswered(uuid[]);

-- Every person who already has a turn.
SELECT onethread_refresh_person_thread(ARRAY(SELECT DISTINCT e."profileId" FROM "Event" e WHERE (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web')))));
