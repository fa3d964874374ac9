-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "businessType" TEXT;

-- AlterTable
ALTER TABLE "Topic" ADD COLUMN     "ignored" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'starter',
ADD COLUMN     "terms" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "TopicMention" (
    "topicId" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TopicMention_pkey" PRIMARY KEY ("topicId","eventId")
);

-- CreateTable
CREATE TABLE "TopicWatermark" (
    "id" TEXT NOT NULL,
    "lastEventId" UUID NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TopicWatermark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TopicSkip" (
    "workspaceId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "language" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TopicSkip_pkey" PRIMARY KEY ("workspaceId","day","language")
);

-- CreateIndex
CREATE INDEX "TopicMention_eventId_idx" ON "TopicMention"("eventId");

-- CreateIndex
CREATE INDEX "TopicMention_topicId_occurredAt_idx" ON "TopicMention"("topicId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Event_topic_source_idx" ON "Event"("id") WHERE (source = 'channel' AND type = 'message_in') OR (source = 'email' AND type IN ('email_replied', 'email_received')) OR (source = 'web' AND type = 'form_submit');

-- AddForeignKey
ALTER TABLE "TopicMention" ADD CONSTRAINT "TopicMention_topicId_fkey" FOREIGN KEY ("topicId") REFERENCES "Topic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicMention" ADD CONSTRAINT "TopicMention_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- TopicCount = the mentions per topic and day (decision 019), kept by statement-level triggers on TopicMention:
-- the counter's inserts, the cascades of erasure and retention purge (an event's mentions go with it), and
-- topic merges (mentions moved to another topic). Decrements only update rows an insert made (a row of a topic
-- being deleted is never created again). PL/pgSQL so the plans are cached per connection.
CREATE FUNCTION onethread_topic_count_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "TopicCount" ("topicId", day, count)
  SELECT "topicId", day, count(*)::int FROM new_rows GROUP BY "topicId", day
  ON CONFLICT ("topicId", day) DO UPDATE SET count = "TopicCount".count + EXCLUDED.count;
  RETURN NULL;
END $$;

CREATE FUNCTION onethread_topic_count_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "TopicCount" c SET count = c.count - o.n
  FROM (SELECT "topicId", day, count(*)::int AS n FROM old_rows GROUP BY "topicId", day) o
  WHERE c."topicId" = o."topicId" AND c.day = o.day;
  -- A topic the counter found in someone's question goes with its last message (an erasure leaves no phrase of
  -- theirs behind); topics of the vocabulary and those the owner touched stay.
  DELETE FROM "Topic" t WHERE t.kind = 'discovered' AND t.id IN (SELECT DISTINCT "topicId" FROM old_rows)
    AND NOT EXISTS (SELECT 1 FROM "TopicMention" m WHERE m."topicId" = t.id);
  RETURN NULL;
END $$;

CREATE FUNCTION onethread_topic_count_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "TopicCount" c SET count = c.count - o.n
  FROM (SELECT "topicId", day, count(*)::int AS n FROM old_rows GROUP BY "topicId", day) o
  WHERE c."topicId" = o."topicId" AND c.day = o.day;
  INSERT INTO "TopicCount" ("topicId", day, count)
  SELECT "topicId", day, count(*)::int FROM new_rows GROUP BY "topicId", day
  ON CONFLICT ("topicId", day) DO UPDATE SET count = "TopicCount".count + EXCLUDED.count;
  RETURN NULL;
END $$;

CREATE TRIGGER topic_count_insert AFTER INSERT ON "TopicMention" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_topic_count_add();
CREATE TRIGGER topic_count_delete AFTER DELETE ON "TopicMention" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_topic_count_remove();
CREATE TRIGGER topic_count_update AFTER UPDATE ON "TopicMention" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION onethread_topic_count_move();
