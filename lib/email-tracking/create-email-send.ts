import { appUrl } from "../config/env.ts";
import { randomToken } from "../crypto/tokens.ts";
import type { Tx } from "../db/client.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { purposeOfKind, signUnsubscribeToken } from "../emails/unsubscribe-token.ts";
import { notFound } from "../errors.ts";
import { resolveProfileId } from "../identity/resolve-profile-id.ts";

export interface EmailSendInput {
  workspaceId: string;
  /** The recipient's profile (a merged-away id stands for its survivor); null for mail to no known person. */
  profileId?: string | null;
  /** What kind of mail: `campaign`, `follow_up`, `receipt`… shown on the timeline ("Email opened: follow_up"). */
  kind: string;
  subject?: string | null;
  /** The provider's message id (Resend), when already known; set later otherwise. */
  providerId?: string | null;
  /** The rest of a send made through POST /api/v1/emails (lib/emails/send-email.ts). */
  status?: string;
  toHash?: string | null;
  tracked?: boolean;
  idempotencyKey?: string | null;
  requestHash?: string | null;
}

export interface CreatedEmailSend {
  id: string;
  token: string;
  /** `${APP_URL}/api/o/{token}`: put it in the mail as `<img src=… width="1" height="1" alt="">`. */
  pixelUrl: string;
  unsubscribeToken: string;
  /** `${APP_URL}/u/{token}`: the mail's `List-Unsubscribe` (RFC 8058 one-click) and its visible link. */
  unsubscribeUrl: string;
}

/** The open pixel's URL for a token. */
export const pixelUrlOf = (token: string) => `${appUrl()}/api/o/${token}`;

/** The one-click unsubscribe URL for a token. */
export const unsubscribeUrlOf = (token: string) => `${appUrl()}/u/${token}`;

/**
 * Records a mail about to be sent and hands out its unguessable token (192 random bits) for the open pixel
 * (GET /api/o/{token}) and a signed one for its unsubscribe link (POST /u/{token}: this workspace, this mail,
 * this person, this purpose; lib/emails/unsubscribe-token.ts). P8: mail
 * to an EU recipient without tracking consent must carry no pixel — the sender decides that (`tracked`); the
 * row is still the unsubscribe link's and the provider's events'.
 */
export async function createEmailSend(db: Tx, input: EmailSendInput): Promise<CreatedEmailSend> {
  let profileId: string | null = null;
  if (input.profileId) {
    profileId = await resolveProfileId(db, input.workspaceId, input.profileId);
    if (!profileId) throw notFound("No such profile in this workspace.");
  }
  const token = randomToken(24);
  const id = uuidv7();
  const kind = input.kind.slice(0, 100);
  const unsubscribeToken = signUnsubscribeToken({
    workspaceId: input.workspaceId,
    emailSendId: id,
    profileId,
    purpose: purposeOfKind(kind),
  });
  const row = await db.emailSend.create({
    data: {
      id,
      workspaceId: input.workspaceId,
      profileId,
      token,
      unsubscribeToken,
      kind,
      subject: input.subject?.slice(0, 500) ?? null,
      providerId: input.providerId ?? null,
      ...(input.status ? { status: input.status } : {}),
      toHash: input.toHash ?? null,
      tracked: input.tracked ?? true,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: input.requestHash ?? null,
    },
    select: { id: true },
  });
  return {
    id: row.id,
    token,
    pixelUrl: pixelUrlOf(token),
    unsubscribeToken,
    unsubscribeUrl: unsubscribeUrlOf(unsubscribeToken),
  };
}
