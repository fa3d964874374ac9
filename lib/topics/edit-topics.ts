import { z } from "zod";
import type { Db } from "../db/client.ts";
import { sqlTransaction } from "../db/raw-sql.ts";
import { isUuid, uuidv7 } from "../db/uuidv7.ts";
import { AppError, badRequest, notFound } from "../errors.ts";
import { normalizePhrase } from "./analyze-text.ts";

/**
 * The owner's edits of the vocabulary (decision 019): add a topic, rename it, change what counts as it, mark it
 * "we don't offer this", ignore it, merge one into another. Renaming changes the label only (the key stays, so
 * past counts stay with it); terms apply to messages counted from now on; a merge moves the past mentions too.
 */
const label = z.string().trim().min(1, "is required").max(80, "must be at most 80 characters");
const terms = z
  .array(z.string().trim().min(1).max(80))
  .max(50, "at most 50 terms")
  .transform((list) => [...new Set(list.map(normalizePhrase).filter(Boolean))]);

export const addTopicBody = z.object({ label, terms: terms.optional(), offered: z.boolean().optional() });
export const updateTopicBody = z
  .object({ label, terms, offered: z.boolean(), ignored: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "nothing to change" });
export const mergeTopicBody = z.object({ into: z.string().refine(isUuid, "must be a topic id") });

export interface TopicRow {
  id: string;
  name: string;
  label: string;
  offered: boolean;
  ignored: boolean;
  kind: string;
  terms: string[];
}

const SELECT = { id: true, name: true, label: true, offered: true, ignored: true, kind: true, terms: true } as const;

export async function addTopic(db: Db, workspaceId: string, body: z.output<typeof addTopicBody>): Promise<TopicRow> {
  const name = normalizePhrase(body.label);
  if (!name)
    throw badRequest("label: needs at least one word", [{ path: "label", message: "needs at least one word" }]);
  const existing = await db.topic.findUnique({ where: { workspaceId_name: { workspaceId, name } }, select: SELECT });
  if (existing) {
    throw new AppError("conflict", 409, `"${existing.label}" already counts that; edit or merge it instead.`, [
      { path: "label", message: "a topic with these words exists" },
    ]);
  }
  return db.topic.create({
    data: {
      id: uuidv7(),
      workspaceId,
      name,
      label: body.label,
      kind: "owner",
      terms: body.terms ?? [],
      offered: body.offered ?? true,
    },
    select: SELECT,
  });
}

async function own(db: Db, workspaceId: string, id: string) {
  if (!isUuid(id)) throw notFound("No such topic in this workspace.");
  const topic = await db.topic.findFirst({ where: { id, workspaceId }, select: SELECT });
  if (!topic) throw notFound("No such topic in this workspace.");
  return topic;
}

/** Any edit makes a found topic the owner's: it is then kept even when its messages are gone. */
export async function updateTopic(db: Db, workspaceId: string, id: string, body: z.output<typeof updateTopicBody>) {
  await own(db, workspaceId, id);
  return db.topic.update({ where: { id }, data: { ...body, kind: "owner" }, select: SELECT });
}

/**
 * Merges `id` into `into`: its messages count for `into` from the day they were counted (a message that was
 * counted for both counts once), its name and terms become terms of `into` (so later messages land there too),
 * and it is gone. The TopicCount triggers move the counts with the mentions.
 */
export async function mergeTopic(db: Db, workspaceId: string, id: string, into: string): Promise<TopicRow> {
  if (id === into)
    throw badRequest("into: cannot merge a topic into itself", [{ path: "into", message: "is the same topic" }]);
  const from = await own(db, workspaceId, id);
  const target = await own(db, workspaceId, into);
  await sqlTransaction(db, async (sql) => {
    await sql.$executeRawUnsafe(
      `SELECT id FROM "Topic" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [from.id, target.id].sort(),
    );
    await sql.$executeRawUnsafe(
      `DELETE FROM "TopicMention" a USING "TopicMention" b
       WHERE a."topicId" = $1::uuid AND b."topicId" = $2::uuid AND a."eventId" = b."eventId"`,
      from.id,
      target.id,
    );
    await sql.$executeRawUnsafe(
      `UPDATE "TopicMention" SET "topicId" = $2::uuid WHERE "topicId" = $1::uuid`,
      from.id,
      target.id,
    );
    const merged = [...new Set([...target.terms, from.name, ...from.terms])].filter((t) => t !== target.name);
    await sql.$executeRawUnsafe(
      `UPDATE "Topic" SET terms = $2::text[], kind = 'owner' WHERE id = $1::uuid`,
      target.id,
      merged,
    );
    await sql.$executeRawUnsafe(`DELETE FROM "Topic" WHERE id = $1::uuid`, from.id);
  });
  return own(db, workspaceId, target.id);
}

/** The workspace's vocabulary for the editor: every topic, the ignored ones last. */
export function listTopics(db: Db, workspaceId: string) {
  return db.topic.findMany({ where: { workspaceId }, select: SELECT, orderBy: [{ ignored: "asc" }, { label: "asc" }] });
}
