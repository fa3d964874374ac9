import { parsePhoneNumberFromString } from "libphonenumber-js";

/** A stored E.164 number as people read it: "+18055550100" → "+1 805 555 0100"; anything else unchanged. */
export function formatPhone(e164: string | null | undefined): string | null {
  if (!e164) return null;
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
