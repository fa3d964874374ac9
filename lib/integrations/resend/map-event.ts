import type { IngestEventInput } from "../../ingest/schemas.ts";
import type { MapContext, MappedDelivery } from "../types.ts";
import { applyEmailStatus, suppressComplainer } from "./email-status.ts";
import { resendEventBody, timeOf } from "./event-body.ts";
import { EMAIL_EVENT_TYPES, INBOUND_TYPE, STATUS_ONLY_TYPES, TEST_EVENT_TYPE } from "./event-types.ts";
import { mapReceivedEmail } from "./map-received.ts";

const firstOf = (to: string | string[] | undefined) => (Array.isArray(to) ? to[0] : to)?.trim() || undefined;
const clip = (s: string | null | undefined, n = 1000) => (s ? s.slice(0, n) : undefined);

/**
 * What a Resend delivery means (API.md "Webhooks"): an email event → `email/email_*` on its recipient — the
 * person OneThread sent it to (found by the EmailSend whose providerId is Resend's `email_id`), else whoever
 * holds the recipient's address; `email.received` → `email/email_replied` with the full text in the sender's
 * email thread (map-received.ts); `email.failed`/`email.suppressed` → the send's status only.
 */
export async function mapResendEvent(raw: unknown, prefix: string, ctx: MapContext): Promise<MappedDelivery> {
  const body = resendEventBody.parse(raw);
  if (body.type === TEST_EVENT_TYPE)
    return { summary: "Resend test event (verified, not stored)", events: [], ignored: true, test: true };
  if (body.type === INBOUND_TYPE) return mapReceivedEmail(body, ctx);
  const type = EMAIL_EVENT_TYPES[body.type as keyof typeof EMAIL_EVENT_TYPES];
  const statusOnly = STATUS_ONLY_TYPES[body.type as keyof typeof STATUS_ONLY_TYPES];
  const emailId = body.data.email_id;
  if ((!type && !statusOnly) || !emailId)
    return {
      summary: `Resend ${body.type.slice(0, 60)} (${emailId ? "not a type we record" : "no email_id"})`,
      events: [],
      ignored: true,
    };
  const send = await ctx.db.emailSend.findFirst({
    where: { workspaceId: ctx.workspaceId, providerId: emailId },
    select: { id: true, profileId: true, kind: true, toHash: true },
  });
  if (statusOnly) {
    const reason = clip(body.data.failed?.reason, 300);
    return {
      summary: `Resend ${body.type}${reason ? `: ${reason}` : ""}`,
      events: [],
      apply: async (db, { workspaceId }) =>
        (await applyEmailStatus(db, workspaceId, emailId, statusOnly)) || send
          ? {}
          : { ignored: true, summary: `Resend ${body.type} for an email not sent from OneThread` },
    };
  }
  const recipient = firstOf(body.data.to);
  if (!send?.profileId && !recipient)
    return { summary: `Resend ${body.type} without a recipient`, events: [], ignored: true };
  const props: Record<string, unknown> = {
    provider: "resend",
    messageId: emailId,
    ...(send ? { emailSendId: send.id, purpose: send.kind } : {}),
    ...(body.data.subject ? { subject: clip(body.data.subject, 2000) } : {}),
  };
  if (body.data.bounce)
    Object.assign(props, {
      bounceType: clip(body.data.bounce.type, 100),
      bounceSubType: clip(body.data.bounce.subType, 100),
      bounceMessage: clip(body.data.bounce.message),
    });
  if (body.data.click?.link) props.link = clip(body.data.click.link, 2000);
  // Once per email for what happens once (sent — the send's own event id, so OneThread's send and Resend's
  // email.sent are one event —, delivered, bounced, complained); opens and clicks once per delivery.
  const once = type === "email_opened" || type === "email_clicked" ? null : type;
  const id = once === "email_sent" && send ? `es_${send.id}` : once ? `resend_${once}_${emailId}` : prefix;
  const event = {
    id: id.slice(0, 128),
    source: "email",
    type,
    occurredAt: timeOf(body.data.click?.timestamp ?? undefined, body.created_at, body.data.created_at),
    channel: "email",
    direction: "out",
    // OneThread's own send lands on its person (anchor-profile.ts lends their identifier); another mail on
    // whoever holds the address.
    identity: send?.profileId ? {} : { email: recipient },
    properties: props,
  } as IngestEventInput;
  const status = type.replace("email_", "");
  return {
    summary: `Resend ${body.type}${send ? "" : " (an email not sent from OneThread)"}`,
    events: [event],
    ...(send?.profileId ? { profileRef: send.profileId } : {}),
    apply: async (db, { workspaceId, identifiers }) => {
      if (["sent", "delivered", "bounced", "complained"].includes(status))
        await applyEmailStatus(db, workspaceId, emailId, status);
      if (status === "opened" && send)
        await db.emailSend.updateMany({ where: { id: send.id, openedAt: null }, data: { openedAt: new Date() } });
      if (status !== "complained") return {};
      const hashes = send?.toHash ? [send.toHash] : identifiers.filter((i) => i.type === "email").map((i) => i.hash);
      await suppressComplainer(db, workspaceId, hashes);
      return { summary: `Resend ${body.type}: the address no longer gets marketing email` };
    },
  };
}
