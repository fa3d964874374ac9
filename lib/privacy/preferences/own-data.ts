import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { AppError, notFound } from "../../errors.ts";
import { eraseProfile } from "../erase-profile.ts";
import { exportDownload } from "../export-download.ts";
import type { PreferencesSession } from "./session.ts";

export const downloadQuery = z.object({ format: z.enum(["json", "csv"]).default("json") });
export const deleteBody = z.object({
  confirm: z.literal("delete", {
    error: 'Confirm with "delete": everything the business holds about you will be gone.',
  }),
});

const needsFull = () =>
  new AppError(
    "forbidden",
    403,
    "To download or delete your data, open the one-time link we email you (a footer link only changes your choices).",
  );

/**
 * Download JSON or CSV (P10): everything held about the person, the same export the owner gets, logged as an
 * export request via the preferences page (P12: self-service export is immediate, so it is done at once).
 */
export function downloadOwnData(db: Db, session: PreferencesSession, format: "json" | "csv"): Promise<Response> {
  if (session.scope !== "full") throw needsFull();
  return exportDownload(
    db,
    session.workspace.id,
    session.profileId,
    format,
    "preferences",
    `${session.workspace.slug}-my-data`,
  );
}

/**
 * Delete (after the page's confirmation): erasure as R17/P11 (lib/privacy/erase-profile.ts) — the person,
 * everything about them, their pending outbound sends (conversion send-backs waiting in the outbox, emails
 * still being sent) and their privacy links and sessions, this one included — logged in the same transaction
 * as an erasure request via the preferences page with no profile id left. Answers what happened, for the page.
 */
export async function deleteOwnData(db: Db, session: PreferencesSession) {
  if (session.scope !== "full") throw needsFull();
  const workspaceId = session.workspace.id;
  const profileId = session.profileId;
  const [outbox, emails] = await Promise.all([
    db.outbox.count({ where: { workspaceId, profileId, status: "pending" } }),
    db.emailSend.count({ where: { workspaceId, profileId, status: "sending" } }),
  ]);
  if (!(await eraseProfile(db, workspaceId, profileId, { via: "preferences" })))
    throw notFound("There is nothing held about you any more.");
  return {
    deleted: true as const,
    business: session.workspace.name,
    deletedAt: new Date().toISOString(),
    cancelledSends: outbox + emails,
  };
}
