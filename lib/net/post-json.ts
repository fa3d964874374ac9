import http from "node:http";
import https from "node:https";
import { PrivateDestinationError, publicOnlyLookup, reservedLiteralOf } from "./public-destination.ts";

export interface PostOptions {
  timeoutMs: number;
  /** Refuse hosts that are, or resolve to, private or reserved addresses (an owner-given URL in production). */
  publicOnly: boolean;
}

/**
 * POSTs a body to a URL someone else runs and resolves with the status it answered; redirects are not
 * followed and the answer's body is discarded. Rejects when the host is unreachable, refused by `publicOnly`
 * (a PrivateDestinationError), or silent past the timeout (an error named TimeoutError).
 */
export function postJson(url: string, headers: Record<string, string>, body: string, options: PostOptions) {
  const target = new URL(url);
  if (options.publicOnly) {
    const literal = reservedLiteralOf(target);
    if (literal) return Promise.reject(new PrivateDestinationError(literal, literal));
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        signal,
        ...(options.publicOnly ? { lookup: publicOnlyLookup } : {}),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", (error) => {
      if (signal.aborted) {
        const timeout = new Error(`no answer within ${options.timeoutMs / 1000} s`);
        timeout.name = "TimeoutError";
        reject(timeout);
      } else reject(error);
    });
    req.end(body);
  });
}
