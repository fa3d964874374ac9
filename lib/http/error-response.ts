import { ZodError } from "zod";
import { AppError, type ErrorCode, type ErrorDetail, zodDetails } from "../errors.ts";

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details?.length ? { details } : {}) } };
}

/** Maps anything thrown to the envelope. Unknown errors become a 500 without internals (and are logged). */
export function toErrorResponse(error: unknown, extraHeaders?: HeadersInit): Response {
  if (error instanceof AppError) {
    const headers = new Headers(extraHeaders);
    for (const [k, v] of Object.entries(error.headers ?? {})) headers.set(k, v);
    return Response.json(errorBody(error.code, error.message, error.details), { status: error.status, headers });
  }
  if (error instanceof ZodError) {
    const details = zodDetails(error);
    const first = details[0];
    return Response.json(
      errorBody("invalid_request", first ? `${first.path}: ${first.message}` : "The request is not valid.", details),
      { status: 400, headers: extraHeaders },
    );
  }
  console.error("Unhandled error", error);
  return Response.json(errorBody("internal_error", "Something went wrong on our side. Please try again."), {
    status: 500,
    headers: extraHeaders,
  });
}
