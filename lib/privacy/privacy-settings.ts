import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { badRequest, notFound } from "../errors.ts";
import { forgetWorkspaceForIngest } from "../ingest/load-workspace.ts";

const months = (what: string) =>
  z
    .number("must be a number of months")
    .int("must be a whole number of months")
    .min(1, `${what} must be at least 1 month`)
    .max(120, `${what} must be at most 120 months`);

/** Settings → Privacy: how long data is kept (P14) and whether Do-Not-Track is honoured (P5). */
export const privacySettingsInput = z
  .object({
    retentionMonths: months("retention"),
    /** Paying customers' data may be kept longer; null keeps them like everyone else. */
    customerRetentionMonths: months("customer retention").nullable(),
    honorDoNotTrack: z.boolean("must be true or false"),
  })
  .partial();

export interface PrivacySettings {
  retentionMonths: number;
  customerRetentionMonths: number | null;
  honorDoNotTrack: boolean;
}

const SELECT = { retentionMonths: true, customerRetentionMonths: true, honorDoNotTrack: true } as const;

export async function getPrivacySettings(db: Db | Tx, workspaceId: string): Promise<PrivacySettings> {
  const ws = await db.workspace.findUnique({ where: { id: workspaceId }, select: SELECT });
  if (!ws) throw notFound("No such workspace.");
  return ws;
}

/**
 * Changes the privacy settings. A customer retention shorter than everyone's would purge paying customers
 * first, which nobody means: refused with the field named. The tracker reads DNT from /api/collect/config,
 * cached by ingestion for 10 s per instance (lib/ingest/load-workspace.ts): this process forgets it at once.
 */
export async function updatePrivacySettings(
  db: Db,
  workspaceId: string,
  raw: z.input<typeof privacySettingsInput>,
): Promise<PrivacySettings> {
  const input = privacySettingsInput.parse(raw);
  const current = await getPrivacySettings(db, workspaceId);
  const retention = input.retentionMonths ?? current.retentionMonths;
  const customers =
    input.customerRetentionMonths === undefined ? current.customerRetentionMonths : input.customerRetentionMonths;
  if (customers !== null && customers < retention)
    throw badRequest("customerRetentionMonths: must be at least the retention for everyone", [
      {
        path: "customerRetentionMonths",
        message: `must be at least ${retention} months (everyone's retention), or empty`,
      },
    ]);
  const saved = await db.workspace.update({ where: { id: workspaceId }, data: input, select: SELECT });
  forgetWorkspaceForIngest(workspaceId);
  return saved;
}
