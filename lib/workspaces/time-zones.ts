/**
 * The IANA time zones a workspace can pick, for a searchable list: every zone the runtime knows (ICU still
 * spells a few by their old names — Asia/Calcutta — so those are shown by their current ones, which ICU
 * accepts too), plus UTC. Pure: the settings page builds the list in the browser.
 */
const CURRENT: Record<string, string> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

export interface TimeZoneOption {
  id: string;
  /** "Los Angeles", "Argentina / Buenos Aires". */
  city: string;
  /** "Pacific Time", "Central European Time" (where the runtime names it). */
  name: string;
  /** "GMT-8", "GMT+5:30", "GMT" — at `now`. */
  offset: string;
  /** Minutes east of UTC at `now`, for ordering. */
  minutes: number;
}

function part(zone: string, now: Date, timeZoneName: "shortOffset" | "longGeneric") {
  try {
    return (
      new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName })
        .formatToParts(now)
        .find((p) => p.type === "timeZoneName")?.value ?? ""
    );
  } catch {
    return "";
  }
}

function minutesOf(offset: string) {
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(offset);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Every zone, ordered by offset then name; `keep` (the saved value) is listed even if the runtime lacks it. */
export function timeZoneOptions(now = new Date(), keep?: string): TimeZoneOption[] {
  const known =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone").map((z) => CURRENT[z] ?? z) : [];
  const ids = [...new Set(["UTC", ...known, ...(keep && part(keep, now, "shortOffset") ? [keep] : [])])];
  return ids
    .map((id) => {
      const offset = part(id, now, "shortOffset") || "GMT";
      const city = id === "UTC" ? "UTC" : id.split("/").slice(1).join(" / ").replace(/_/g, " ") || id;
      const name = id === "UTC" ? "Coordinated Universal Time" : part(id, now, "longGeneric");
      return { id, city, name: /^GMT/.test(name) ? "" : name, offset, minutes: minutesOf(offset) };
    })
    .sort((a, b) => a.minutes - b.minutes || a.id.localeCompare(b.id));
}

/** Whether an option answers a search: its id, city, zone name or offset ("berlin", "pacific", "gmt+1", "+5:30"). */
export function matchesTimeZone(option: TimeZoneOption, query: string) {
  const q = query.trim().toLowerCase().replace(/_/g, " ");
  if (!q) return true;
  const offset = option.offset.toLowerCase();
  const hay = [
    option.id.toLowerCase().replace(/_/g, " "),
    option.city.toLowerCase(),
    option.name.toLowerCase(),
    offset,
  ];
  if (hay.some((h) => h.includes(q))) return true;
  const asOffset = /^(?:utc|gmt)?\s*([+-]\d{1,2}(?::\d{2})?)$/.exec(q);
  return !!asOffset && offset === `gmt${asOffset[1]!.replace(/^([+-])0/, "$1")}`;
}
