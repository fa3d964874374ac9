-- The rollup triggers find each profile by its primary key, driven from the rows a statement touched
-- (docs/decisions/023-ingest-write-and-rollup-probes.md). They joined "Profile" on id AND "mergedIntoId" IS NULL
-- and let the planner choose, and PL/pgSQL keeps a function's plan for the life of the connection: planned
-- while a workspace was small (one live profile estimated), the join scanned every live profile of the
-- database through "Profile_mergedIntoId_idx" for each row of the statement. At 3,000 profiles that was
-- 1.5 million comparisons and 250 ms per 500-event batch, two thirds of the write, growing with the database.
-- A LATERAL probe with LIMIT 1 cannot be flattened into a join, so its only access path is the primary key;
-- the merged test is applied to the row it returns. Same results, one index probe per row.

CREATE OR REPLACE FUNCTION onethread_refresh_person_rollup(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;

  WITH want AS (
    SELECT p.id, p."workspaceId", r.r0, r.r1, r.r2, r.r3, r.r4,
      (SELECT count(*)::int FROM "Identifier" i WHERE i."profileId" = p.id AND i.type = 'device') AS devices
    FROM (SELECT DISTINCT unnest(ids) AS id) AS x
    CROSS JOIN LATERAL (SELECT q.id, q."workspaceId", q."mergedIntoId" FROM "Profile" q WHERE q.id = x.id LIMIT 1) p
    CROSS JOIN LATERAL (
      SELECT min(pr."reachedAt") AS r0,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 1) AS r1,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 2) AS r2,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 3) AS r3,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 4) AS r4
      FROM "ProfileRung" pr WHERE pr."profileId" = p.id
    ) r
    WHERE p."mergedIntoId" IS NULL AND (r.r0 IS NOT NULL OR EXISTS (
      SELECT 1 FROM "Identifier" i WHERE i."profileId" = p.id AND i.type = 'device'))
  ),
  gone AS (
    DELETE FROM "PersonRollup" x
    WHERE x."profileId" = ANY(ids) AND NOT EXISTS (SELECT 1 FROM want w WHERE w.id = x."profileId")
  )
  INSERT INTO "PersonRollup" ("profileId", "workspaceId", reached0, reached1, reached2, reached3, reached4, devices)
  SELECT id, "workspaceId", r0, r1, r2, r3, r4, devices FROM want ORDER BY id
  ON CONFLICT ("profileId") DO UPDATE SET reached0 = EXCLUDED.reached0, reached1 = EXCLUDED.reached1,
    reached2 = EXCLUDED.reached2, reached3 = EXCLUDED.reached3, reached4 = EXCLUDED.reached4, devices = EXCLUDED.devices
  WHERE ("PersonRollup".reached0, "PersonRollup".reached1, "PersonRollup".reached2, "PersonRollup".reached3,
         "PersonRollup".reached4, "PersonRollup".devices)
    IS DISTINCT FROM (EXCLUDED.reached0, EXCLUDED.reached1, EXCLUDED.reached2, EXCLUDED.reached3, EXCLUDED.reached4,
         EXCLUDED.devices);
END
$fn$;

CREATE OR REPLACE FUNCTION onethread_person_rollup_from_rungs() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- Statements that touched no rows (ON CONFLICT DO UPDATE fires the UPDATE triggers too) cost nothing here.
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "PersonRollup" ("profileId", "workspaceId", reached0, reached1, reached2, reached3, reached4)
    SELECT n."profileId", p."workspaceId", min(n."reachedAt"),
      min(n."reachedAt") FILTER (WHERE n.rung >= 1), min(n."reachedAt") FILTER (WHERE n.rung >= 2),
      min(n."reachedAt") FILTER (WHERE n.rung >= 3), min(n."reachedAt") FILTER (WHERE n.rung >= 4)
    FROM new_rows n
    CROSS JOIN LATERAL (SELECT q."workspaceId", q."mergedIntoId" FROM "Profile" q WHERE q.id = n."profileId" LIMIT 1) p
    WHERE p."mergedIntoId" IS NULL
    GROUP BY n."profileId", p."workspaceId" ORDER BY n."profileId"
    ON CONFLICT ("profileId") DO UPDATE SET
      reached0 = LEAST("PersonRollup".reached0, EXCLUDED.reached0),
      reached1 = LEAST("PersonRollup".reached1, EXCLUDED.reached1),
      reached2 = LEAST("PersonRollup".reached2, EXCLUDED.reached2),
      reached3 = LEAST("PersonRollup".reached3, EXCLUDED.reached3),
      reached4 = LEAST("PersonRollup".reached4, EXCLUDED.reached4);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM onethread_refresh_person_rollup(ARRAY(SELECT DISTINCT "profileId" FROM old_rows ORDER BY 1));
  ELSE
    PERFORM onethread_refresh_person_rollup(ARRAY(
      SELECT "profileId" FROM (SELECT * FROM new_rows EXCEPT SELECT * FROM old_rows) AS n
      UNION SELECT "profileId" FROM (SELECT * FROM old_rows EXCEPT SELECT * FROM new_rows) AS o ORDER BY 1));
  END IF;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION onethread_person_rollup_from_devices() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- Statements that touched no rows (ON CONFLICT DO UPDATE fires the UPDATE triggers too) cost nothing here.
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "PersonRollup" ("profileId", "workspaceId", devices)
    SELECT n."profileId", n."workspaceId", count(*)::int FROM new_rows n WHERE n.type = 'device'
    GROUP BY 1, 2 ORDER BY 1
    ON CONFLICT ("profileId") DO UPDATE SET devices = "PersonRollup".devices + EXCLUDED.devices;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "PersonRollup" x SET devices = x.devices - d.n
    FROM (SELECT "profileId", count(*)::int AS n FROM old_rows WHERE type = 'device' GROUP BY 1) AS d
    WHERE x."profileId" = d."profileId";
  ELSE
    WITH moved AS (
      SELECT "profileId", "workspaceId", sum(n)::int AS n FROM (
        (SELECT id, "profileId", "workspaceId", 1 AS n FROM new_rows WHERE type = 'device'
         EXCEPT SELECT id, "profileId", "workspaceId", 1 FROM old_rows WHERE type = 'device')
        UNION ALL
        (SELECT id, "profileId", "workspaceId", -1 FROM old_rows WHERE type = 'device'
         EXCEPT SELECT id, "profileId", "workspaceId", -1 FROM new_rows WHERE type = 'device')
      ) AS d GROUP BY 1, 2 HAVING sum(n) <> 0
    ),
    down AS (
      UPDATE "PersonRollup" x SET devices = x.devices + m.n FROM moved m WHERE m.n < 0 AND x."profileId" = m."profileId"
    )
    INSERT INTO "PersonRollup" ("profileId", "workspaceId", devices)
    SELECT m."profileId", m."workspaceId", m.n FROM moved m
    CROSS JOIN LATERAL (SELECT q."mergedIntoId" FROM "Profile" q WHERE q.id = m."profileId" LIMIT 1) p
    WHERE m.n > 0 AND p."mergedIntoId" IS NULL ORDER BY 1
    ON CONFLICT ("profileId") DO UPDATE SET devices = "PersonRollup".devices + EXCLUDED.devices;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION onethread_refresh_person_thread(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
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
    FROM (SELECT DISTINCT unnest(ids) AS id) AS x
    CROSS JOIN LATERAL (SELECT q.id, q."workspaceId", q."mergedIntoId" FROM "Profile" q WHERE q.id = x.id LIMIT 1) p
    CROSS JOIN LATERAL (
      SELECT e.id, e."occurredAt", COALESCE(e.channel, CASE WHEN e.source = 'email' THEN 'email' WHEN e.type IN ('call_in', 'call_out', 'call_missed', 'voicemail') THEN 'voice' END) AS channel, COALESCE((e.type IN ('message_in', 'call_missed', 'voicemail', 'email_replied', 'email_received') OR (e.source = 'channel' AND e.direction = 'in' AND e.type <> 'call_in')), false) AS awaiting
      FROM "Event" e
      WHERE e."workspaceId" = p."workspaceId" AND e."profileId" = p.id AND (e."profileId" IS NOT NULL AND ((e.source = 'channel' AND e.type <> 'message_status') OR (e.source = 'email' AND e.type IN ('email_sent', 'email_replied', 'email_received')) OR (e.source = 'agent' AND e.channel IS NOT NULL AND e.channel <> 'web')))
      ORDER BY e."occurredAt" DESC, e.id DESC LIMIT 1
    ) t
    WHERE p."mergedIntoId" IS NULL
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
