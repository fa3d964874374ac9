import type { IdentifierType } from "./types.ts";

const DOT = "•••";

/** A masked form for lists and display names: enough to recognise, not enough to contact (`jo•••@example.com`). */
export function maskIdentifier(type: IdentifierType, value: string): string {
  if (type === "email") {
    const at = value.indexOf("@");
    return `${value.slice(0, Math.min(2, at))}${DOT}${value.slice(at)}`;
  }
  if (type === "phone") return value.length > 6 ? `${value.slice(0, 2)}${DOT}${value.slice(-4)}` : DOT;
  if (value.length <= 4) return DOT;
  return `${value.slice(0, Math.min(4, value.length - 4))}${DOT}${value.slice(-2)}`;
}
