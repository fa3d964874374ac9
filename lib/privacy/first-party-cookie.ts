import type { Sql } from "../db/raw-sql.ts";
import type { RequestHeaders } from "../request-headers.ts";

/** P2: the device cookie lives 13 months (396 days) from consent, the same as the tracker's own. */
export const DEVICE_COOKIE_SECONDS = 34_214_400;
const DEVICE_COOKIE = "ot_id";
/** What a cookie value may hold untouched (the tracker's ids are `d_` and digits). */
const COOKIE_SAFE = /^[A-Za-z0-9_.-]{1,128}$/;

/** The first value of a possibly comma-joined forwarding header, lower-cased. */
const firstOf = (v: string | null) => v?.split(",")[0]?.trim().toLowerCase() || null;

/**
 * The page's origin when the request reached us through the business's own domain (a rewrite or reverse
 * proxy of `/ot/*`, docs/first-party-serving.md): its `Origin` host equals the host it was served under
 * (`X-Forwarded-Host`, else `Host`). A direct cross-site call from the tracker has the business's Origin and
 * our Host, so it is never first-party. Null otherwise.
 */
export function firstPartyOrigin(headers: RequestHeaders): URL | null {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  const servedAs = firstOf(headers.get("x-forwarded-host")) ?? firstOf(headers.get("host"));
  return servedAs && url.host.toLowerCase() === servedAs ? url : null;
}

/** `ot_id` as the business's own server would set it: Path=/, SameSite=Lax, Secure on https, readable by the tracker. */
function cookie(value: string, maxAge: number, secure: boolean) {
  return `${DEVICE_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export interface DeviceCookieInput {
  workspaceId: string;
  deviceId: string;
  deviceHash: string | null;
  /** The device's consent was withdrawn by this request. */
  withdrawn: boolean;
  now?: Date;
}

/**
 * The `Set-Cookie` of a first-party collect request, or null. A server-set cookie is not capped at 7 days by
 * Safari's ITP as the script-set one is. Its expiry is 13 months from when the device was first seen — its
 * identifier's creation, which follows its consent — so a later visit never extends it (P2). Never for a
 * third-party request, never for a device whose events are refused (withdrawn or otherwise suppressed):
 * a withdrawal in this request deletes the cookie instead, which the tracker also does itself.
 */
export async function deviceCookieFor(
  db: Sql,
  headers: RequestHeaders,
  input: DeviceCookieInput,
): Promise<string | null> {
  const origin = firstPartyOrigin(headers);
  if (!origin || !input.deviceHash || !COOKIE_SAFE.test(input.deviceId)) return null;
  const secure = origin.protocol === "https:";
  if (input.withdrawn) return cookie("", 0, secure);
  const [row] = await db.$queryRawUnsafe<{ createdAt: Date; suppressed: boolean }[]>(
    `SELECT i."createdAt", EXISTS (SELECT 1 FROM "Suppression" s WHERE s."workspaceId" = $1::uuid AND s.type = 'device'
       AND s.hash = $2 AND s.scope IN ('all', 'tracking')) AS suppressed
     FROM "Identifier" i WHERE i."workspaceId" = $1::uuid AND i.type = 'device' AND i.hash = $2`,
    input.workspaceId,
    input.deviceHash,
  );
  if (!row || row.suppressed) return null;
  const now = (input.now ?? new Date()).getTime();
  const maxAge = Math.floor((row.createdAt.getTime() + DEVICE_COOKIE_SECONDS * 1000 - now) / 1000);
  return maxAge > 0 ? cookie(input.deviceId, maxAge, secure) : null;
}
