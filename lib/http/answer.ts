/**
 * A response as plain data: what an endpoint answers before it becomes a web `Response` (a route served by
 * Next) or is written straight to the socket (`npm start`'s listener, scripts/serve.ts, for the tracker's
 * endpoint: building a `Request` and a `Response` per one-event call cost as much as the rest of it, decision 023).
 */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export function jsonAnswer(status: number, data: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(data) };
}

export function toResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
