import type { Db } from "./client.ts";
import { pendingMigrations } from "./migrate.ts";

/** Reachable and fully migrated: what /api/health answers. */
export async function databaseHealth(db: Db): Promise<{ ok: boolean; reason?: string }> {
  try {
    const pending = await pendingMigrations((sql) => db.$queryRawUnsafe(sql));
    if (pending.length) return { ok: false, reason: `${pending.length} migration(s) not applied` };
    return { ok: true };
  } catch {
    return { ok: false, reason: "database unreachable" };
  }
}
