-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "unansweredSince" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "PersonRollup" (
    "profileId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "reached0" TIMESTAMPTZ(3),
    "reached1" TIMESTAMPTZ(3),
    "reached2" TIMESTAMPTZ(3),
    "reached3" TIMESTAMPTZ(3),
    "reached4" TIMESTAMPTZ(3),
    "devices" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PersonRollup_pkey" PRIMARY KEY ("profileId")
);

-- CreateTable
CREATE TABLE "RungQuarter" (
    "workspaceId" UUID NOT NULL,
    "quarter" TIMESTAMPTZ(3) NOT NULL,
    "rung" SMALLINT NOT NULL,
    "slot" SMALLINT NOT NULL,
    "people" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RungQuarter_pkey" PRIMARY KEY ("workspaceId","quarter","rung","slot")
);

-- CreateTable
CREATE TABLE "RungTotal" (
    "workspaceId" UUID NOT NULL,
    "rung" SMALLINT NOT NULL,
    "slot" SMALLINT NOT NULL,
    "people" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RungTotal_pkey" PRIMARY KEY ("workspaceId","rung","slot")
);

-- CreateTable
CREATE TABLE "SignalHour" (
    "workspaceId" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "source" "EventSource" NOT NULL,
    "type" TEXT NOT NULL,
    "channel" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '',
    "currency" TEXT NOT NULL DEFAULT '',
    "slot" SMALLINT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "amount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SignalHour_pkey" PRIMARY KEY ("workspaceId","hour","source","type","channel","detail","currency","slot")
);

-- CreateIndex
CREATE INDEX "PersonRollup_workspaceId_reached0_reached1_idx" ON "PersonRollup"("workspaceId", "reached0", "reached1");

-- CreateIndex
CREATE INDEX "PersonRollup_workspaceId_reached1_reached2_idx" ON "PersonRollup"("workspaceId", "reached1", "reached2") WHERE ("reached1" IS NOT NULL);

-- CreateIndex
CREATE INDEX "PersonRollup_workspaceId_reached2_reached3_devices_idx" ON "PersonRollup"("workspaceId", "reached2", "reached3", "devices") WHERE ("reached2" IS NOT NULL);

-- CreateIndex
CREATE INDEX "PersonRollup_workspaceId_reached3_reached4_idx" ON "PersonRollup"("workspaceId", "reached3", "reached4") WHERE ("reached3" IS NOT NULL);

-- CreateIndex
CREATE INDEX "PersonRollup_workspaceId_reached4_idx" ON "PersonRollup"("workspaceId", "reached4") WHERE ("reached4" IS NOT NULL);

-- CreateIndex
CREATE INDEX "Event_money_idx" ON "Event"("workspaceId", "type", "occurredAt", "profileId") WHERE (type IN ('payment_succeeded', 'payment_refunded', 'checkout_completed', 'booking_created', 'booking_cancelled'));

-- CreateIndex
CREATE INDEX "Conversation_workspaceId_unansweredSince_idx" ON "Conversation"("workspaceId", "unansweredSince") WHERE ("unansweredSince" IS NOT NULL);

-- AddForeignKey
ALTER TABLE "PersonRollup" ADD CONSTRAINT "PersonRollup_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ───────────── Report rollups kept by the database (docs/decisions/011-report-rollups.md) ─────────────
-- Statement-level triggers with transition tables: one run per statement whatever its size, so the ingest
-- write (one statement per batch) pays once per batch, and every writer (ingestion, merges, splits, erasure,
-- retention) keeps the rollups right without calling anything. The common case, new rows, is applied as a
-- delta from the transition table alone; removals and rewrites recompute the people they touched.

-- PersonRollup from scratch for some profiles: rungs from ProfileRung, devices from Identifier. Merged-away
-- and deleted profiles lose their row. PL/pgSQL, not SQL, so its plan is cached per connection (a SQL function
-- with a CTE was planned again on every call: 1 ms per batch).
CREATE FUNCTION onethread_refresh_person_rollup(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;

  WITH want AS (
    SELECT p.id, p."workspaceId", r.r0, r.r1, r.r2, r.r3, r.r4,
      (SELECT count(*)::int FROM "Identifier" i WHERE i."profileId" = p.id AND i.type = 'device') AS devices
    FROM "Profile" p
    CROSS JOIN LATERAL (
      SELECT min(pr."reachedAt") AS r0,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 1) AS r1,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 2) AS r2,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 3) AS r3,
        min(pr."reachedAt") FILTER (WHERE pr.rung >= 4) AS r4
      FROM "ProfileRung" pr WHERE pr."profileId" = p.id
    ) r
    WHERE p.id = ANY(ids) AND p."mergedIntoId" IS NULL AND (r.r0 IS NOT NULL OR EXISTS (
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

-- Rungs. A new (profile, rung) row can only bring a level's time forward, so inserts are a LEAST() per level
-- (LEAST skips nulls); the devices column is the other trigger's and is left alone, which makes the two
-- order-independent within one statement.
CREATE FUNCTION onethread_person_rollup_from_rungs() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
    FROM new_rows n JOIN "Profile" p ON p.id = n."profileId" AND p."mergedIntoId" IS NULL
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

CREATE TRIGGER person_rollup_rungs_insert AFTER INSERT ON "ProfileRung" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_rollup_from_rungs();
CREATE TRIGGER person_rollup_rungs_update AFTER UPDATE ON "ProfileRung" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_rollup_from_rungs();
CREATE TRIGGER person_rollup_rungs_delete AFTER DELETE ON "ProfileRung" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_rollup_from_rungs();

-- Devices: +1 for a device identifier that arrives or comes over, −1 for one that leaves (ingestion updates
-- every identifier it sees; EXCEPT finds the few that changed hands, in one pass). A decrement never creates a
-- row: the person it leaves may just have been merged away.
CREATE FUNCTION onethread_person_rollup_from_devices() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
    SELECT m."profileId", m."workspaceId", m.n FROM moved m JOIN "Profile" p ON p.id = m."profileId" AND p."mergedIntoId" IS NULL
    WHERE m.n > 0 ORDER BY 1
    ON CONFLICT ("profileId") DO UPDATE SET devices = "PersonRollup".devices + EXCLUDED.devices;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER person_rollup_devices_insert AFTER INSERT ON "Identifier" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_rollup_from_devices();
CREATE TRIGGER person_rollup_devices_update AFTER UPDATE ON "Identifier" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_rollup_from_devices();
CREATE TRIGGER person_rollup_devices_delete AFTER DELETE ON "Identifier" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_person_rollup_from_devices();

-- SignalHour: +1 per stored event, −1 per removed one, in its UTC hour and kind. An update that changes nothing
-- counted (merges and splits move events between people) nets to zero and writes nothing.
CREATE FUNCTION onethread_signal_hour() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- Statements that touched no rows (ON CONFLICT DO UPDATE fires the UPDATE triggers too) cost nothing here.
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "SignalHour" ("workspaceId", hour, source, type, channel, detail, currency, slot, count, amount)
    SELECT "workspaceId", hour, source, type, channel, detail, currency, (pg_backend_pid() % 4)::smallint,
      sum(n)::int, sum(amount)
    FROM (
      SELECT e."workspaceId", date_trunc('hour', e."occurredAt", 'UTC') AS hour, e.source, e.type,
        coalesce(e.channel, '') AS channel,
        CASE e.source WHEN 'agent' THEN left(coalesce(e.properties ->> 'action', ''), 64)
          WHEN 'email' THEN left(coalesce(e.properties ->> 'kind', ''), 64) ELSE '' END AS detail,
        CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' THEN lower(left(e.properties ->> 'currency', 10)) ELSE '' END AS currency,
        1 AS n,
        1 * CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' AND abs((e.properties ->> 'amount')::numeric) < 1e15
          THEN round((e.properties ->> 'amount')::numeric)::bigint ELSE 0 END AS amount
      FROM new_rows e
    ) AS d
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("workspaceId", hour, source, type, channel, detail, currency, slot) DO UPDATE
      SET count = "SignalHour".count + EXCLUDED.count, amount = "SignalHour".amount + EXCLUDED.amount;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "SignalHour" ("workspaceId", hour, source, type, channel, detail, currency, slot, count, amount)
    SELECT "workspaceId", hour, source, type, channel, detail, currency, (pg_backend_pid() % 4)::smallint,
      sum(n)::int, sum(amount)
    FROM (
      SELECT e."workspaceId", date_trunc('hour', e."occurredAt", 'UTC') AS hour, e.source, e.type,
        coalesce(e.channel, '') AS channel,
        CASE e.source WHEN 'agent' THEN left(coalesce(e.properties ->> 'action', ''), 64)
          WHEN 'email' THEN left(coalesce(e.properties ->> 'kind', ''), 64) ELSE '' END AS detail,
        CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' THEN lower(left(e.properties ->> 'currency', 10)) ELSE '' END AS currency,
        -1 AS n,
        -1 * CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' AND abs((e.properties ->> 'amount')::numeric) < 1e15
          THEN round((e.properties ->> 'amount')::numeric)::bigint ELSE 0 END AS amount
      FROM old_rows e
    ) AS d
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("workspaceId", hour, source, type, channel, detail, currency, slot) DO UPDATE
      SET count = "SignalHour".count + EXCLUDED.count, amount = "SignalHour".amount + EXCLUDED.amount;
  ELSE
    INSERT INTO "SignalHour" ("workspaceId", hour, source, type, channel, detail, currency, slot, count, amount)
    SELECT "workspaceId", hour, source, type, channel, detail, currency, (pg_backend_pid() % 4)::smallint,
      sum(n)::int, sum(amount)
    FROM (
      SELECT e."workspaceId", date_trunc('hour', e."occurredAt", 'UTC') AS hour, e.source, e.type,
        coalesce(e.channel, '') AS channel,
        CASE e.source WHEN 'agent' THEN left(coalesce(e.properties ->> 'action', ''), 64)
          WHEN 'email' THEN left(coalesce(e.properties ->> 'kind', ''), 64) ELSE '' END AS detail,
        CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' THEN lower(left(e.properties ->> 'currency', 10)) ELSE '' END AS currency,
        -1 AS n,
        -1 * CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' AND abs((e.properties ->> 'amount')::numeric) < 1e15
          THEN round((e.properties ->> 'amount')::numeric)::bigint ELSE 0 END AS amount
      FROM old_rows e
      UNION ALL
      SELECT e."workspaceId", date_trunc('hour', e."occurredAt", 'UTC') AS hour, e.source, e.type,
        coalesce(e.channel, '') AS channel,
        CASE e.source WHEN 'agent' THEN left(coalesce(e.properties ->> 'action', ''), 64)
          WHEN 'email' THEN left(coalesce(e.properties ->> 'kind', ''), 64) ELSE '' END AS detail,
        CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' THEN lower(left(e.properties ->> 'currency', 10)) ELSE '' END AS currency,
        1 AS n,
        1 * CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' AND abs((e.properties ->> 'amount')::numeric) < 1e15
          THEN round((e.properties ->> 'amount')::numeric)::bigint ELSE 0 END AS amount
      FROM new_rows e
    ) AS d
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0 OR sum(amount) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("workspaceId", hour, source, type, channel, detail, currency, slot) DO UPDATE
      SET count = "SignalHour".count + EXCLUDED.count, amount = "SignalHour".amount + EXCLUDED.amount;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER signal_hour_insert AFTER INSERT ON "Event" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_signal_hour();
CREATE TRIGGER signal_hour_update AFTER UPDATE ON "Event" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_signal_hour();
CREATE TRIGGER signal_hour_delete AFTER DELETE ON "Event" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_signal_hour();

-- Conversation."unansweredSince" for the threads a statement touched: the first inbound message after our
-- latest outbound one (two probes of the (conversationId, occurredAt) index), or null when we spoke last.
CREATE FUNCTION onethread_refresh_unanswered(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;

  UPDATE "Conversation" c SET "unansweredSince" = s.since
  FROM (
    SELECT x.id, (
      SELECT m."occurredAt" FROM "Message" m
      WHERE m."conversationId" = x.id AND m.direction = 'in' AND m."occurredAt" > coalesce((
        SELECT o."occurredAt" FROM "Message" o WHERE o."conversationId" = x.id AND o.direction = 'out'
        ORDER BY o."occurredAt" DESC LIMIT 1), '-infinity')
      ORDER BY m."occurredAt" LIMIT 1) AS since
    FROM unnest(ids) AS x(id)
  ) AS s
  WHERE c.id = s.id AND c."unansweredSince" IS DISTINCT FROM s.since;
END
$fn$;

CREATE FUNCTION onethread_unanswered() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- Statements that touched no rows (ON CONFLICT DO UPDATE fires the UPDATE triggers too) cost nothing here.
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM onethread_refresh_unanswered(ARRAY(SELECT DISTINCT "conversationId" FROM new_rows ORDER BY 1));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM onethread_refresh_unanswered(ARRAY(SELECT DISTINCT "conversationId" FROM old_rows ORDER BY 1));
  ELSE
    PERFORM onethread_refresh_unanswered(ARRAY(
      SELECT "conversationId" FROM (
        SELECT id, "conversationId", direction, "occurredAt" FROM new_rows
        EXCEPT SELECT id, "conversationId", direction, "occurredAt" FROM old_rows) AS n
      UNION SELECT "conversationId" FROM (
        SELECT id, "conversationId", direction, "occurredAt" FROM old_rows
        EXCEPT SELECT id, "conversationId", direction, "occurredAt" FROM new_rows) AS o ORDER BY 1));
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER unanswered_insert AFTER INSERT ON "Message" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_unanswered();
CREATE TRIGGER unanswered_update AFTER UPDATE ON "Message" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_unanswered();
CREATE TRIGGER unanswered_delete AFTER DELETE ON "Message" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_unanswered();

-- RungQuarter: −1 at each rung's quarter hour for a PersonRollup row's old times, +1 for its new ones (a
-- changed devices count nets to zero and writes nothing).
CREATE FUNCTION onethread_rung_quarter() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "RungQuarter" ("workspaceId", quarter, rung, slot, people)
    SELECT x."workspaceId", date_bin('15 minutes', v.at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), v.rung,
      (pg_backend_pid() % 4)::smallint, count(*)::int
    FROM new_rows x CROSS JOIN LATERAL (VALUES (0, x.reached0), (1, x.reached1), (2, x.reached2), (3, x.reached3),
      (4, x.reached4)) AS v(rung, at)
    WHERE v.at IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("workspaceId", quarter, rung, slot) DO UPDATE SET people = "RungQuarter".people + EXCLUDED.people;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "RungQuarter" ("workspaceId", quarter, rung, slot, people)
    SELECT x."workspaceId", date_bin('15 minutes', v.at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), v.rung,
      (pg_backend_pid() % 4)::smallint, -count(*)::int
    FROM old_rows x CROSS JOIN LATERAL (VALUES (0, x.reached0), (1, x.reached1), (2, x.reached2), (3, x.reached3),
      (4, x.reached4)) AS v(rung, at)
    WHERE v.at IS NOT NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("workspaceId", quarter, rung, slot) DO UPDATE SET people = "RungQuarter".people + EXCLUDED.people;
  ELSE
    INSERT INTO "RungQuarter" ("workspaceId", quarter, rung, slot, people)
    SELECT d."workspaceId", date_bin('15 minutes', d.at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), d.rung,
      (pg_backend_pid() % 4)::smallint, sum(d.n)::int
    FROM (
      SELECT x."workspaceId", v.rung, v.at, -1 AS n FROM old_rows x CROSS JOIN LATERAL (VALUES (0, x.reached0),
        (1, x.reached1), (2, x.reached2), (3, x.reached3), (4, x.reached4)) AS v(rung, at) WHERE v.at IS NOT NULL
      UNION ALL
      SELECT x."workspaceId", v.rung, v.at, 1 FROM new_rows x CROSS JOIN LATERAL (VALUES (0, x.reached0),
        (1, x.reached1), (2, x.reached2), (3, x.reached3), (4, x.reached4)) AS v(rung, at) WHERE v.at IS NOT NULL
    ) AS d
    GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT ("workspaceId", quarter, rung, slot) DO UPDATE SET people = "RungQuarter".people + EXCLUDED.people;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER rung_quarter_insert AFTER INSERT ON "PersonRollup" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_rung_quarter();
CREATE TRIGGER rung_quarter_update AFTER UPDATE ON "PersonRollup" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_rung_quarter();
CREATE TRIGGER rung_quarter_delete AFTER DELETE ON "PersonRollup" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_rung_quarter();

-- RungTotal: +1 on the rung of each live profile that appears, −1 for one that leaves (merged away, erased) or
-- changes rung; ingestion updates every profile it touches, EXCEPT finds the few whose rung or liveness changed.
CREATE FUNCTION onethread_rung_total() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "RungTotal" ("workspaceId", rung, slot, people)
    SELECT "workspaceId", rung, (pg_backend_pid() % 4)::smallint, count(*)::int FROM new_rows WHERE "mergedIntoId" IS NULL
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("workspaceId", rung, slot) DO UPDATE SET people = "RungTotal".people + EXCLUDED.people;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "RungTotal" ("workspaceId", rung, slot, people)
    SELECT "workspaceId", rung, (pg_backend_pid() % 4)::smallint, -count(*)::int FROM old_rows WHERE "mergedIntoId" IS NULL
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT ("workspaceId", rung, slot) DO UPDATE SET people = "RungTotal".people + EXCLUDED.people;
  ELSE
    INSERT INTO "RungTotal" ("workspaceId", rung, slot, people)
    SELECT "workspaceId", rung, (pg_backend_pid() % 4)::smallint, sum(n)::int FROM (
      SELECT "workspaceId", rung, 1 AS n FROM (
        SELECT id, "workspaceId", rung FROM new_rows WHERE "mergedIntoId" IS NULL
        EXCEPT SELECT id, "workspaceId", rung FROM old_rows WHERE "mergedIntoId" IS NULL) AS a
      UNION ALL
      SELECT "workspaceId", rung, -1 FROM (
        SELECT id, "workspaceId", rung FROM old_rows WHERE "mergedIntoId" IS NULL
        EXCEPT SELECT id, "workspaceId", rung FROM new_rows WHERE "mergedIntoId" IS NULL) AS b
    ) AS d GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
    ON CONFLICT ("workspaceId", rung, slot) DO UPDATE SET people = "RungTotal".people + EXCLUDED.people;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER rung_total_insert AFTER INSERT ON "Profile" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_rung_total();
CREATE TRIGGER rung_total_update AFTER UPDATE ON "Profile" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_rung_total();
CREATE TRIGGER rung_total_delete AFTER DELETE ON "Profile" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_rung_total();

-- What an existing database already holds.
SELECT onethread_refresh_person_rollup(ARRAY(SELECT id FROM "Profile" WHERE "mergedIntoId" IS NULL));
INSERT INTO "SignalHour" ("workspaceId", hour, source, type, channel, detail, currency, slot, count, amount)
    SELECT "workspaceId", hour, source, type, channel, detail, currency, 0::smallint,
      sum(n)::int, sum(amount)
    FROM (
      SELECT e."workspaceId", date_trunc('hour', e."occurredAt", 'UTC') AS hour, e.source, e.type,
        coalesce(e.channel, '') AS channel,
        CASE e.source WHEN 'agent' THEN left(coalesce(e.properties ->> 'action', ''), 64)
          WHEN 'email' THEN left(coalesce(e.properties ->> 'kind', ''), 64) ELSE '' END AS detail,
        CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' THEN lower(left(e.properties ->> 'currency', 10)) ELSE '' END AS currency,
        1 AS n,
        1 * CASE WHEN jsonb_typeof(e.properties -> 'currency') = 'string' AND jsonb_typeof(e.properties -> 'amount') = 'number' AND abs((e.properties ->> 'amount')::numeric) < 1e15
          THEN round((e.properties ->> 'amount')::numeric)::bigint ELSE 0 END AS amount
      FROM "Event" e
    ) AS d
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("workspaceId", hour, source, type, channel, detail, currency, slot) DO UPDATE
      SET count = "SignalHour".count + EXCLUDED.count, amount = "SignalHour".amount + EXCLUDED.amount;
INSERT INTO "RungTotal" ("workspaceId", rung, slot, people)
SELECT "workspaceId", rung, 0, count(*)::int FROM "Profile" WHERE "mergedIntoId" IS NULL GROUP BY 1, 2;
SELECT onethread_refresh_unanswered(ARRAY(SELECT id FROM "Conversation"));
