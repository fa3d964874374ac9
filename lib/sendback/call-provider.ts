import type { ProviderAnswer } from "./types.ts";

/** How long one send-back request may take before it counts as a network error (retried). */
export const SEND_BACK_TIMEOUT_MS = 15_000;

/** The provider's message out of its error envelope (Meta `error.message`, Google `error.message`/`status`). */
function messageOf(body: unknown): string | null {
  if (!body || typeof body !== "object") return null;
  const error = (body as { error?: unknown }).error;
  if (error && typeof error === "object") {
    const e = error as { message?: unknown; error_user_msg?: unknown; status?: unknown };
    const text = [e.message, e.error_user_msg].find((v) => typeof v === "string" && v.trim());
    if (typeof text === "string") return text;
    if (typeof e.status === "string") return e.status;
  }
  if (typeof error === "string") return error;
  return null;
}

/**
 * Never log or keep a raw email, phone or token: the secrets are cut out of any text kept from an answer,
 * anything shaped like an email address or a phone number is masked, and it is clipped to 300 characters.
 */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("…");
  return out
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/g, "[email]")
    .replace(/\+?\d[\d\s().-]{7,}\d/g, "[number]")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

/** POSTs JSON and reads the answer; a network error or timeout is status 0. Nothing is logged. */
export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  secrets: readonly string[],
): Promise<ProviderAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_BACK_TIMEOUT_MS),
    });
  } catch (e) {
    const reason = (e as Error).name === "TimeoutError" ? "no answer within 15 s" : "network error";
    return {
      status: 0,
      error: maskText(`${reason}: ${(e as Error).cause ?? (e as Error).message}`, secrets),
      retryAfter: null,
    };
  }
  const text = await res.text().catch(() => "");
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {}
  const retry = Number(res.headers.get("retry-after"));
  return {
    status: res.status,
    error: res.ok ? null : maskText(messageOf(parsed) ?? (text || res.statusText || `HTTP ${res.status}`), secrets),
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null,
  };
}
