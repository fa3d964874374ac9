import { parsePhoneNumberFromString } from "libphonenumber-js";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { CONSENT_COUNTRIES } from "./consent-region.ts";

export interface EmailTrackingDecision {
  /** Whether the mail may carry an open pixel and per-recipient link redirects. */
  track: boolean;
  /** Why, in a few words (kept in the log and shown to tests). */
  reason: string;
}

const inRegime = (country: string | null | undefined) => !!country && CONSENT_COUNTRIES.has(country.toUpperCase());

/**
 * P8: an email to a recipient in the consent regime (EU/EEA/UK/CH) who has not consented to tracking carries
 * no open pixel and no per-recipient click redirect. Consent is the person's latest recorded banner choice
 * (P3): granted tracks, denied never does (wherever they are). Without a recorded choice the regime decides,
 * read from what is known, erring towards it: a consent record made from a consent country, a phone number of
 * one, or else the business itself — an EU-region workspace, or one whose default country is in the regime.
 * Someone who opted out of tracking (or of everything) is never tracked.
 */
export async function emailTrackingDecision(
  db: Db,
  workspaceId: string,
  profileId: string,
): Promise<EmailTrackingDecision> {
  const [workspace, profile, records, identifiers] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { region: true, defaultCountry: true } }),
    db.profile.findFirst({ where: { id: profileId, workspaceId }, select: { optedOutAt: true } }),
    db.consentRecord.findMany({
      where: { workspaceId, profileId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
      select: { choice: true, country: true },
    }),
    db.identifier.findMany({
      where: { workspaceId, profileId },
      take: 200,
      select: { type: true, hash: true, valueEnc: true },
    }),
  ]);
  if (profile?.optedOutAt) return { track: false, reason: "opted out of tracking" };
  const stopped = identifiers.length
    ? await db.suppression.count({
        where: {
          workspaceId,
          scope: { in: ["tracking", "all"] },
          OR: identifiers.map((i) => ({ type: i.type, hash: i.hash })),
        },
      })
    : 0;
  if (stopped) return { track: false, reason: "opted out of tracking" };
  const latest = records[0]?.choice;
  if (latest === "granted") return { track: true, reason: "consented to tracking" };
  if (latest === "denied") return { track: false, reason: "refused tracking" };
  const phoneCountry = identifiers.some((p) => {
    const value = p.type === "phone" ? decryptOrNull(p.valueEnc) : null;
    return inRegime(value ? parsePhoneNumberFromString(value)?.country : null);
  });
  const regime =
    records.some((r) => inRegime(r.country)) ||
    phoneCountry ||
    workspace.region === "eu" ||
    inRegime(workspace.defaultCountry);
  return regime
    ? { track: false, reason: "in the consent regime without consent" }
    : { track: true, reason: "outside the consent regime" };
}
