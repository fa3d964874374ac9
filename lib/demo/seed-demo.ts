import type { Db } from "../db/client.ts";
import { fromApiEvent } from "../ingest/from-requests.ts";
import { ingestEvents } from "../ingest/ingest-events.ts";
import { apiEvent } from "../ingest/schemas.ts";
import { createWorkspace } from "../workspaces/create-workspace.ts";
import { conversationEvents } from "./demo-conversations.ts";
import { journeyEvents, syntheticEvents } from "./demo-events.ts";
import { reportDemoEvents } from "./report-demo-events.ts";

export const DEMO_LOGIN = { email: "demo@onethread.local", password: "onethread-demo" } as const;

/**
 * On an empty database (no workspace yet): the demo workspace "Acme Movers" with its owner's login, the
 * product page's 12-day journey and synthetic customers across all seven sources, ingested through the real
 * ingestion path (so rungs, merges and touches are computed, not faked).
 * Returns the login to print, or null when the database already holds someone else's data.
 */
export async function seedDemoIfEmpty(db: Db, log: (line: string) => void = () => {}, now = new Date()) {
  if ((await db.workspace.count()) > 0) {
    const demo = await db.membership.findFirst({
      where: { user: { email: DEMO_LOGIN.email } },
      select: { workspace: { select: { slug: true } } },
    });
    return demo ? { ...DEMO_LOGIN, slug: demo.workspace.slug } : null;
  }
  log("Seeding the demo workspace…");
  const created = await createWorkspace(db, {
    name: "Acme Movers",
    ownerEmail: DEMO_LOGIN.email,
    ownerName: "Demo Owner",
    password: DEMO_LOGIN.password,
    timezone: "America/Los_Angeles",
    defaultCountry: "US",
  });
  const ws = await db.workspace.findUniqueOrThrow({
    where: { id: created.workspaceId },
    select: { id: true, hashSalt: true, defaultCountry: true, blockedValues: true },
  });
  const events = [...journeyEvents, ...syntheticEvents(now), ...conversationEvents(now), ...reportDemoEvents(now)].map(
    (e) => fromApiEvent(apiEvent.parse(e)),
  );
  for (let i = 0; i < events.length; i += 200) await ingestEvents(db, ws, events.slice(i, i + 200));
  log(`Seeded ${events.length} demo events.`);
  return { ...DEMO_LOGIN, slug: created.slug };
}
