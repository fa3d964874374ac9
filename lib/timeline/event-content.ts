import { decrypt } from "../crypto/keys.ts";

/**
 * The property under which an event's sealed content is stored (P13): an email's subject, html and the like,
 * AES-256-GCM as one JSON object, the key id inside the value (lib/crypto/keys.ts). Its text, like a channel
 * message's body, lives on the event's Message instead.
 */
export const CONTENT_KEY = "contentEnc";

/** Events whose text lives on a Message (channel messages, emails). */
export const HAS_MESSAGE = new Set(["channel", "email"]);

/**
 * An event's properties as their owner reads them (timeline, export): the message text back from its Message
 * (as `text` for an email, `body` for a channel message) and sealed content opened. `opened` says whether
 * anything came back, so a stored summary written without it should be written again.
 */
export function readableProperties(
  source: string,
  stored: Record<string, unknown>,
  body: string | null | undefined,
): { properties: Record<string, unknown>; opened: boolean } {
  let properties = stored;
  let opened = false;
  const sealed = stored[CONTENT_KEY];
  if (typeof sealed === "string") {
    const content = openContent(sealed);
    if (content) {
      const { [CONTENT_KEY]: _, ...rest } = stored;
      properties = { ...rest, ...content };
      opened = true;
    }
  }
  if (body) {
    properties = { ...properties, [source === "email" ? "text" : "body"]: body };
    opened = true;
  }
  return { properties, opened };
}

/** The sealed object, or null when the value is not one this app sealed (a client may send anything). */
function openContent(sealed: string): Record<string, unknown> | null {
  if (!sealed.startsWith("v1.")) return null;
  try {
    const value = JSON.parse(decrypt(sealed)) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
