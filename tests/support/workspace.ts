import type { Db } from "../../lib/db/client.ts";
import { ingestEvents } from "../../lib/ingest/ingest-events.ts";
import type { IngestEventInput } from "../../lib/ingest/schemas.ts";
import { createWorkspace } from "../../lib/workspaces/create-workspace.ts";

let n = 0;

/** A workspace for a test, with its keys and a helper that ingests v1-shaped events through the real path. */
export async function testWorkspace(
  db: Db,
  opts: { country?: string; timezone?: string; blockedValues?: string[] } = {},
) {
  n++;
  const created = await createWorkspace(db, {
    name: `Test ${n}`,
    ownerEmail: `owner${n}.${Date.now()}@test.test`,
    defaultCountry: opts.country ?? "US",
    timezone: opts.timezone ?? "America/Los_Angeles",
  });
  if (opts.blockedValues) {
    await db.workspace.update({ where: { id: created.workspaceId }, data: { blockedValues: opts.blockedValues } });
  }
  const ws = await db.workspace.findUniqueOrThrow({
    where: { id: created.workspaceId },
    select: {
      id: true,
      hashSalt: true,
      defaultCountry: true,
      blockedValues: true,
      timezone: true,
      honorDoNotTrack: true,
    },
  });
  return {
    ...created,
    ws,
    ingest: (events: readonly unknown[]) => ingestEvents(db, ws, events as IngestEventInput[]),
  };
}

/** A compact event builder: `ev("e1", "web", "page_view", "2026-11-01T10:00:00Z", { deviceId: "d1" })`. */
export function ev(
  id: string,
  source: string,
  type: string,
  occurredAt: string,
  identity: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  return { id, source, type, occurredAt, identity, ...extra };
}
