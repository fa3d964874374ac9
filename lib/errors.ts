import type { ZodError } from "zod";

export type ErrorCode =
  | "invalid_json"
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "integration_missing"
  | "payload_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "rate_limited"
  | "invalid_signature"
  | "service_unavailable"
  | "provider_error"
  | "opted_out"
  | "no_phone"
  | "no_email"
  | "internal_error";

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * The one error type of the app, thrown by domain code and mapped to the HTTP envelope by lib/http (which
 * imports this file, never the other way round): a code from API.md, an HTTP status and a sentence for a person.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Not found.") => new AppError("not_found", 404, what);
export const unauthorized = (message = "A valid API key is required.") => new AppError("unauthorized", 401, message);
export const forbidden = (message = "This key may not do that.") => new AppError("forbidden", 403, message);
export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new AppError("invalid_request", 400, message, details);

/** `events[3].identity.email` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(body)";
}

export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
