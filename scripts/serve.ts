// The production server of `npm start` (scripts/start.ts runs it): Next's own request handler for every
// request but the tracker's. `POST /api/collect` and its preflight are answered by the same route code
// (app/api/collect/route.ts) without Next's request pipeline, which alone cost half the server's CPU per
// one-event request (docs/decisions/013-ingest-log.md). On Vercel, and under `npm run dev`, the route
// serves them through Next as any other.
import http from "node:http";
import next from "next";
import { KiB } from "../lib/http/read-body.ts";
import { SECURITY_HEADERS } from "../lib/http/security-headers.ts";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || "127.0.0.1";
/** The route's own limit; a body beyond it is not read further (the route answers 413). */
const MAX_BODY = 64 * KiB;

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
// After prepare: the route's imports (next/server) expect the runtime Next sets up.
const { OPTIONS: collectPreflight, POST: collect } = await import("../app/api/collect/route.ts");

const isCollect = (url: string | undefined) => url === "/api/collect" || !!url?.startsWith("/api/collect?");

http
  .createServer((req, res) => {
    if (isCollect(req.url) && (req.method === "POST" || req.method === "OPTIONS")) {
      void answerCollect(req, res).catch((error) => {
        console.error("collect:", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end('{"error":{"code":"internal_error","message":"Something went wrong on our side."}}');
      });
      return;
    }
    void handle(req, res);
  })
  .listen(port, hostname, () => console.log(`Ready on http://${hostname}:${port}`));

async function answerCollect(req: http.IncomingMessage, res: http.ServerResponse) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const url = `http://${req.headers.host ?? `${hostname}:${port}`}${req.url}`;
  let response: Response;
  if (req.method === "OPTIONS") response = collectPreflight();
  else {
    const body = await readUpTo(req, MAX_BODY);
    // Over the limit: what was read is dropped and the declared size tells the route to answer 413.
    if (body === null) headers.set("content-length", String(MAX_BODY + 1));
    response = await collect(
      new Request(url, {
        method: "POST",
        headers,
        body: body ? (new Uint8Array(body.buffer, body.byteOffset, body.length) as Uint8Array<ArrayBuffer>) : "",
      }),
    );
  }
  const out: Record<string, string | string[]> = {};
  for (const { key, value } of SECURITY_HEADERS) out[key] = value;
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") out[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  const payload = Buffer.from(await response.arrayBuffer());
  out["content-length"] = String(payload.length);
  res.writeHead(response.status, out);
  res.end(payload);
}

/** The body, or null once it passes `limit` bytes (the rest is discarded, the connection kept). */
function readUpTo(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      // Far past any tracker request: not worth reading to the end.
      if (size > 16 * limit) {
        req.destroy();
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? null : Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => resolve(null));
  });
}
