import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Db } from "../../lib/db/client.ts";

/** Every scope a "Full access" key held before the scopes added this session. */
export const SCOPES_BEFORE_SENDS = [
  "events:write",
  "profiles:read",
  "profiles:write",
  "links:write",
  "export:read",
  "integrations:read",
  "integrations:write",
  "checkout:write",
];

/**
 * A scope migration's data step (its closing `UPDATE "ApiKey"`), run twice: a key that held every scope of
 * `before` gains `added` once; a key its owner narrowed stays as it was.
 */
export async function expectScopeMigration(
  db: Db,
  workspaceId: string,
  o: { migration: string; before: string[]; added: string; tag: string },
) {
  const full = await db.apiKey.create({
    data: { workspaceId, name: "old", prefix: "sk_o", hash: `h-o-${o.tag}`, scopes: o.before },
  });
  const few = await db.apiKey.create({
    data: { workspaceId, name: "few", prefix: "sk_f", hash: `h-f-${o.tag}`, scopes: ["links:write"] },
  });
  const dir = join(import.meta.dirname, "../../prisma/migrations");
  const folder = readdirSync(dir).find((d) => d.endsWith(`_${o.migration}`)) as string;
  const sql = readFileSync(join(dir, folder, "migration.sql"), "utf8");
  const update = sql.slice(sql.lastIndexOf('UPDATE "ApiKey"'));
  await db.$executeRawUnsafe(update);
  await db.$executeRawUnsafe(update);
  expect((await db.apiKey.findUniqueOrThrow({ where: { id: full.id } })).scopes).toEqual([...o.before, o.added]);
  expect((await db.apiKey.findUniqueOrThrow({ where: { id: few.id } })).scopes).toEqual(["links:write"]);
}
