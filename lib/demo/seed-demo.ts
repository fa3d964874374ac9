import type { Db } from "../db/client.ts";
import { createWorkspace } from "../workspaces/create-workspace.ts";

export const DEMO_LOGIN = { email: "demo@onethread.local", password: "onethread-demo" } as const;

/**
 * On an empty database (no workspace yet): the demo workspace "Acme Movers" with its owner's login.
 * Returns the login to print, or null when the database already holds data.
 */
export async function seedDemoIfEmpty(db: Db, log: (line: string) => void = () => {}) {
  if ((await db.workspace.count()) > 0) {
    const demo = await db.membership.findFirst({
      where: { user: { email: DEMO_LOGIN.email } },
      select: { workspace: { select: { slug: true } } },
    });
    return demo ? { ...DEMO_LOGIN, slug: demo.workspace.slug } : null;
  }
  log("Seeding the demo workspace…");
  const ws = await createWorkspace(db, {
    name: "Acme Movers",
    ownerEmail: DEMO_LOGIN.email,
    ownerName: "Demo Owner",
    password: DEMO_LOGIN.password,
    timezone: "America/Los_Angeles",
    defaultCountry: "US",
  });
  return { ...DEMO_LOGIN, slug: ws.slug };
}
