import { z } from "zod";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { notFound } from "../errors.ts";
import { resolveProfileId } from "../identity/resolve-profile-id.ts";
import { personLabels } from "../reports/person-labels.ts";
import { RULE_LABELS, type Rule } from "./rules.ts";

export interface NudgeItem {
  id: string;
  rule: Rule;
  title: string;
  action: string;
  person: { id: string; name: string };
  eventId: string | null;
  occurredAt: string;
  createdAt: string;
  seenAt: string | null;
  doneAt: string | null;
  /** Where the webhook delivery stands (null: no webhook when it fired). */
  webhook: { state: string; attempts: number; error: string | null } | null;
}

type Row = {
  id: string;
  profileId: string;
  kind: string;
  eventId: string | null;
  occurredAt: Date;
  createdAt: Date;
  seenAt: Date | null;
  doneAt: Date | null;
  webhookState: string | null;
  webhookAttempts: number;
  webhookError: string | null;
};

const SELECT = {
  id: true,
  profileId: true,
  kind: true,
  eventId: true,
  occurredAt: true,
  createdAt: true,
  seenAt: true,
  doneAt: true,
  webhookState: true,
  webhookAttempts: true,
  webhookError: true,
} as const;

async function toItems(db: Db, workspaceId: string, rows: Row[]): Promise<NudgeItem[]> {
  const labels = await personLabels(
    sqlOf(db),
    workspaceId,
    rows.map((r) => r.profileId),
  );
  return rows.flatMap((r) => {
    const label = RULE_LABELS[r.kind as Rule];
    if (!label) return [];
    return [
      {
        id: r.id,
        rule: r.kind as Rule,
        title: label.title,
        action: label.action,
        person: { id: r.profileId, name: labels.get(r.profileId)?.name ?? "Someone" },
        eventId: r.eventId,
        occurredAt: r.occurredAt.toISOString(),
        createdAt: r.createdAt.toISOString(),
        seenAt: r.seenAt?.toISOString() ?? null,
        doneAt: r.doneAt?.toISOString() ?? null,
        webhook: r.webhookState ? { state: r.webhookState, attempts: r.webhookAttempts, error: r.webhookError } : null,
      },
    ];
  });
}

/** The overview's panel: the open nudges, newest first ("Nudge_open_idx"), and how many there are. */
export async function openNudges(db: Db, workspaceId: string, limit = 8) {
  const where = { workspaceId, doneAt: null };
  const [rows, count] = await Promise.all([
    db.nudge.findMany({ where, orderBy: { createdAt: "desc" }, take: limit, select: SELECT }),
    db.nudge.count({ where }),
  ]);
  return { count, items: await toItems(db, workspaceId, rows) };
}

/** A person's nudges (their timeline shows them where they happened), done ones included. */
export async function personNudges(db: Db, workspaceId: string, profileId: string) {
  const rows = await db.nudge.findMany({
    where: { workspaceId, profileId },
    orderBy: { occurredAt: "asc" },
    take: 200,
    select: SELECT,
  });
  return toItems(db, workspaceId, rows);
}

export const nudgesQuery = z.object({
  status: z.enum(["open", "done", "all"], { error: "must be open, done or all" }).default("open"),
  profileId: z.uuid("must be a profile id").optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `GET /api/v1/nudges?status=&profileId=`: newest first (a merged person's id answers the survivor's). */
export async function listNudges(db: Db, workspaceId: string, q: z.infer<typeof nudgesQuery>) {
  const profileId = q.profileId ? await resolveProfileId(db, workspaceId, q.profileId) : undefined;
  if (q.profileId && !profileId) return [];
  const rows = await db.nudge.findMany({
    where: {
      workspaceId,
      ...(profileId ? { profileId } : {}),
      ...(q.status === "open" ? { doneAt: null } : q.status === "done" ? { doneAt: { not: null } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit,
    select: SELECT,
  });
  return toItems(db, workspaceId, rows);
}

export const markNudgeInput = z
  .object({ done: z.boolean("must be true or false"), seen: z.literal(true) })
  .partial()
  .strict();

/** Marks a nudge done (or open again) or seen, by a member. Another workspace's nudge is not found. */
export async function markNudge(
  db: Db,
  workspaceId: string,
  id: string,
  userId: string,
  input: z.infer<typeof markNudgeInput>,
  now = new Date(),
) {
  const row = z.uuid().safeParse(id).success
    ? await db.nudge.findFirst({ where: { id, workspaceId }, select: { id: true, seenAt: true } })
    : null;
  if (!row) throw notFound("No such nudge.");
  const updated = await db.nudge.update({
    where: { id },
    data: {
      ...(input.done === true ? { doneAt: now, doneById: userId, seenAt: row.seenAt ?? now } : {}),
      ...(input.done === false ? { doneAt: null, doneById: null } : {}),
      ...(input.seen && !row.seenAt ? { seenAt: now } : {}),
    },
    select: SELECT,
  });
  const [item] = await toItems(db, workspaceId, [updated]);
  return item;
}
