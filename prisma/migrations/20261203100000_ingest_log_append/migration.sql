-- The ingest log's append (lib/ingest/ingest-log.ts, decision 025): the rows of one flush of tracker requests, in
-- arrival order, and which of their events are already stored (a beacon sent twice), in one statement. Sent as
-- is, Postgres planned it again on every flush: its arrays hold a few requests, so each custom plan looked
-- cheaper than a generic one sized for a hundred, and planning was a third of the statement's CPU. In a function
-- its plan is kept for the connection, and `plan_cache_mode` makes that plan the generic one: an insert and one
-- probe per event of the unique key ("workspaceId", "clientId"), whatever the arrays hold. Kept for the
-- connection, a plan made while "Event" was nearly empty must not scan it later: only index probes are allowed,
-- as in the ingest transaction (POINT_LOOKUPS_ONLY, lib/ingest/load-batch.ts).
CREATE FUNCTION onethread_ingest_log_append(
  workspaces uuid[], counts int[], payloads text[], probe_requests int[], probe_workspaces uuid[], probe_ids text[]
) RETURNS TABLE (kind text, n int, id text)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_bitmapscan = off
AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH ins AS (
    INSERT INTO "IngestLog" ("workspaceId", "eventCount", "payloadEnc")
    SELECT r.w, r.c, r.p FROM unnest(workspaces, counts, payloads) WITH ORDINALITY AS r(w, c, p, o) ORDER BY r.o
    RETURNING "IngestLog".id)
  SELECT 'log'::text, 0, ins.id::text FROM ins
  UNION ALL
  SELECT 'dup'::text, k.r, NULL::text FROM unnest(probe_requests, probe_workspaces, probe_ids) AS k(r, w, cid)
    CROSS JOIN LATERAL (
      SELECT 1 FROM "Event" e WHERE e."workspaceId" = k.w AND e."clientId" = k.cid LIMIT 1) e;
END
$fn$;
