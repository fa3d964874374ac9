import { Resend } from "resend";
import { env } from "../../config/env.ts";
import { decrypt } from "../../crypto/keys.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";

/** How long one call to Resend may take (Svix wants a webhook answered within 15 s; sends answer 502 after). */
export const resendLimits = { timeoutMs: 10_000 };

export const DEFAULT_RESEND_API_BASE = "https://api.resend.com";

/**
 * A client of the workspace's own Resend account (its API key), pointed at RESEND_API_BASE when set. Not the
 * app's own mail (lib/mail: RESEND_API_KEY, RESEND_BASE_URL), which stays apart.
 */
export function resendClient(apiKey: string): Resend {
  return new Resend(apiKey, { baseUrl: (env().RESEND_API_BASE ?? DEFAULT_RESEND_API_BASE).replace(/\/$/, "") });
}

export interface ResendAccount {
  apiKey: string;
  /** The sender, `Name <hello@mail.example.com>`, on a domain verified in Resend. */
  from: string;
}

/** The workspace's connected Resend (API key and sender), or 409 `integration_missing`. */
export async function resendAccount(db: Db, workspaceId: string): Promise<ResendAccount> {
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { workspaceId_provider_name: { workspaceId, provider: "resend", name: "default" } },
    select: { credentialsEnc: true, config: true },
  });
  const apiKey = endpoint?.credentialsEnc
    ? (JSON.parse(decrypt(endpoint.credentialsEnc)) as { apiKey?: string }).apiKey
    : undefined;
  const from = (endpoint?.config as { from?: unknown } | undefined)?.from;
  if (!apiKey || typeof from !== "string")
    throw new AppError(
      "integration_missing",
      409,
      "Resend is not connected to this workspace: connect it in Settings → Integrations (or PUT /api/v1/integrations/resend).",
    );
  return { apiKey, from };
}

/** Resend's error answer (the SDK returns it instead of throwing), as a 502 carrying Resend's own words. */
export function resendError(
  what: string,
  error: { name?: string; message?: string; statusCode?: number | null },
  timedOut: boolean,
) {
  const message = timedOut
    ? `Resend did not answer in time (${resendLimits.timeoutMs / 1000} s)`
    : error.statusCode == null && error.name === "application_error"
      ? `Resend could not be reached (${error.message ?? "no answer"})`
      : `Resend refused ${what}: ${error.message ?? "no message"}`;
  return new AppError("provider_error", 502, message, [
    { path: "resend", message: [error.name, error.statusCode].filter((v) => v != null).join(" ") || "error" },
  ]);
}
