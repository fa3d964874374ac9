import { ZodError } from "zod";
import { AppError, type ErrorCode, type ErrorDetail, zodDetails } from "../errors.ts";
import { type Answer, jsonAnswer } from "./answer.ts";

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details?.length ? { details } : {}) } };
}

/** Maps anything thrown to the envelope. Unknown errors become a 500 without internals (and are logged). */
export function toErrorResponse(error: unknown, extraHeaders?: HeadersInit): Response {
  const answer = errorAnswer(error);
  const headers = new Headers(extraHeaders);
  for (const [k, v] of Object.entries(answer.headers)) headers.set(k, v);
  return new Response(answer.body, { status: answer.status, headers });
}

/** The same as plain data (lib/http/answer.ts); the error's own headers (Retry-After, Allow) over `extraHeaders`. */
export function errorAnswer(error: unknown, extraHeaders: Record<string, string> = {}): Answer {
  if (error instanceof AppError)
    return jsonAnswer(error.status, errorBody(error.code, error.message, error.details), {
      ...extraHeaders,
      ...error.headers,
    });
  if (error instanceof ZodError) {
    const details = zodDetails(error);
    const first = details[0];
    return jsonAnswer(
      400,
      errorBody("invalid_request", first ? `${first.path}: ${first.message}` : "The request is not valid.", details),
      extraHeaders,
    );
  }
  console.error("Unhandled error", error);
  return jsonAnswer(
    500,
    errorBody("internal_error", "Something went wrong on our side. Please try again."),
    extraHeaders,
  );
}
