import { badRequest } from "../../errors.ts";
import type { IngestEventInput } from "../../ingest/schemas.ts";
import type { MappedDelivery } from "../types.ts";
import { applyMessageStatus, isKnownStatus } from "./message-status.ts";
import { optKeyword, setChannelOptOut } from "./opt-out.ts";

/** Marks the settings page's signed test delivery (sign-test-delivery.ts): verified and logged, nothing stored. */
export const TEST_PARAM = "OneThreadTest";

const get = (p: Record<string, string>, k: string) => (p[k] ?? "").trim();
const WHATSAPP = /^whatsapp:/i;
const MISSED = new Set(["busy", "no-answer", "failed", "canceled"]);

/** Media of an MMS / WhatsApp message: `MediaUrl{N}` for N below `NumMedia`. */
function mediaOf(p: Record<string, string>) {
  const n = Math.min(Number.parseInt(get(p, "NumMedia") || "0", 10) || 0, 10);
  return Array.from({ length: n }, (_, i) => get(p, `MediaUrl${i}`)).filter(Boolean);
}

/**
 * What a Twilio delivery means (API.md "Webhooks", INTEGRATIONS.md 2.1–2.3): an inbound SMS/WhatsApp message,
 * a status callback of a message, or a voice status callback. The other party's number is the identity (R1
 * normalises `whatsapp:+1…` and national forms alike).
 */
export function mapTwilioDelivery(p: Record<string, string>, prefix: string): MappedDelivery {
  if (p[TEST_PARAM] === "1")
    return { summary: "Twilio test event (verified, not stored)", events: [], ignored: true, test: true };
  if (get(p, "CallSid")) return mapCall(p, prefix);
  const sid = get(p, "MessageSid") || get(p, "SmsSid") || get(p, "SmsMessageSid");
  if (!sid) throw badRequest("A Twilio delivery names a MessageSid or a CallSid; this one has neither.");
  const status = get(p, "MessageStatus") || get(p, "SmsStatus");
  if (status && status !== "received" && status !== "receiving") {
    if (!isKnownStatus(status))
      return {
        summary: `Twilio status "${status.slice(0, 40)}" for ${sid} (not a status we track)`,
        events: [],
        ignored: true,
      };
    const errorCode = get(p, "ErrorCode") || null;
    return {
      summary: `Twilio status ${status} for ${sid}`,
      events: [],
      apply: (db, { workspaceId }) => applyMessageStatus(db, workspaceId, sid, status, errorCode),
    };
  }
  return mapInboundMessage(p, sid, prefix);
}

function mapInboundMessage(p: Record<string, string>, sid: string, prefix: string): MappedDelivery {
  const from = get(p, "From");
  if (!from) throw badRequest("An inbound Twilio message names its sender in From.");
  const channel = WHATSAPP.test(from) ? "whatsapp" : "sms";
  const label = channel === "whatsapp" ? "WhatsApp" : "SMS";
  const body = p.Body ?? "";
  const keyword = optKeyword(body);
  const media = mediaOf(p);
  const event: IngestEventInput = {
    id: prefix,
    source: "channel",
    type: "message_in",
    occurredAt: new Date().toISOString(),
    channel,
    direction: "in",
    identity: { phone: from },
    properties: {
      provider: "twilio",
      messageId: sid,
      status: "received",
      ...(body ? { body } : {}),
      ...(media.length ? { media } : {}),
      ...(keyword ? { optKeyword: keyword } : {}),
    },
  } as IngestEventInput;
  if (!keyword) return { summary: `Twilio ${label} received`, events: [event] };
  const optedOut = keyword === "stop";
  return {
    summary: `Twilio ${label} ${body.trim().toUpperCase()}: ${optedOut ? "opted out of" : "opted back in to"} ${label}`,
    events: [event],
    apply: async (db, { workspaceId, identifiers }) => {
      const n = await setChannelOptOut(db, workspaceId, identifiers, channel, optedOut);
      return n ? {} : { summary: `Twilio ${label} ${body.trim().toUpperCase()} from a number we cannot read` };
    },
  };
}

function mapCall(p: Record<string, string>, prefix: string): MappedDelivery {
  const sid = get(p, "CallSid");
  const inbound = get(p, "Direction") === "inbound" || get(p, "Direction") === "";
  const other = inbound ? get(p, "From") : get(p, "To");
  if (!other) throw badRequest("A Twilio call names its numbers in From and To.");
  const base = {
    id: prefix,
    source: "channel",
    occurredAt: new Date().toISOString(),
    channel: "voice",
    identity: { phone: other },
  };
  const props = { provider: "twilio", callSid: sid };
  const recording = get(p, "RecordingUrl");
  if (recording) {
    const event = {
      ...base,
      type: "voicemail",
      direction: "in",
      properties: {
        ...props,
        recordingUrl: recording,
        ...(get(p, "RecordingSid") ? { recordingSid: get(p, "RecordingSid") } : {}),
        ...(get(p, "RecordingDuration") ? { durationSeconds: Number(get(p, "RecordingDuration")) || 0 } : {}),
      },
    } as IngestEventInput;
    return { summary: "Twilio voicemail", events: [event] };
  }
  const status = get(p, "DialCallStatus") || get(p, "CallStatus");
  const duration = Number(get(p, "DialCallDuration") || get(p, "CallDuration")) || 0;
  if (status === "completed" || status === "answered") {
    const event = {
      ...base,
      type: inbound ? "call_in" : "call_out",
      direction: inbound ? "in" : "out",
      properties: { ...props, status: "completed", durationSeconds: duration },
    } as IngestEventInput;
    return { summary: `Twilio ${inbound ? "inbound" : "outbound"} call completed`, events: [event] };
  }
  if (inbound && MISSED.has(status)) {
    const event = {
      ...base,
      type: "call_missed",
      direction: "in",
      properties: { ...props, status },
    } as IngestEventInput;
    return { summary: `Twilio missed call (${status})`, events: [event] };
  }
  return {
    summary: `Twilio call ${inbound ? "inbound" : "outbound"} ${status.slice(0, 40) || "without a status"} (nothing to record)`,
    events: [],
    ignored: true,
  };
}
