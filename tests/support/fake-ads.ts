import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeAdsRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  // biome-ignore lint/suspicious/noExplicitAny: the JSON body as sent
  body: any;
}

/** An answer the fake gives before its normal one: a status, its body, and optionally a Retry-After. */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  retryAfter?: number;
  /** Drop the connection without answering (a network error). */
  drop?: boolean;
}

/** The shared loop of the ad-network fakes: keeps every request, answers the scripted ones first. */
export async function startFakeServer(
  handle: (req: FakeAdsRequest) => { status: number; body: unknown },
  port = 0,
): Promise<{
  origin: string;
  requests: FakeAdsRequest[];
  script: ScriptedAnswer[];
  reset(): void;
  close(): Promise<void>;
}> {
  const requests: FakeAdsRequest[] = [];
  const script: ScriptedAnswer[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {}
      const url = new URL(req.url ?? "/", "http://fake.invalid");
      const request = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      requests.push(request);
      const scripted = script.shift();
      if (scripted?.drop) {
        req.socket.destroy();
        return;
      }
      const answer = scripted
        ? { status: scripted.status, body: scripted.body ?? { error: { message: `scripted ${scripted.status}` } } }
        : handle(request);
      res.writeHead(answer.status, {
        "content-type": "application/json",
        ...(scripted?.retryAfter ? { "retry-after": String(scripted.retryAfter) } : {}),
      });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${bound}`,
    requests,
    script,
    reset() {
      requests.length = 0;
      script.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Meta's error envelope (Graph API). */
export const metaError = (message: string, code = 100, type = "OAuthException") => ({
  error: { message, type, code, fbtrace_id: randomUUID().slice(0, 11) },
});
