// The production server of `npm start` (scripts/start.ts runs it): Next's own request handler for every
// request but the few whose cost per request is the product's throughput. `POST /api/collect` (and its
// preflight), `POST /api/v1/events`, the profile lookup and a person's timeline (`GET /api/v1/profiles`,
// `GET /api/v1/profiles/{id}/timeline`) and Twilio's webhook deliveries are answered by the same route handlers
// (app/api/collect, app/api/v1/events, app/api/v1/profiles, app/api/v1/profiles/[id]/timeline and
// app/api/webhooks/twilio/[workspaceId], as Next built them) without Next's request pipeline, which alone cost
// half the server's CPU per one-event request (docs/decisions/013-ingest-log.md), a third of a Twilio delivery's,
// a fifth of a 100-event batch's (decision 024) and two thirds of a lookup's (decision 025). On Vercel, and under
// `npm run dev`, the routes serve them through Next as any other.
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";
import next from "next";
import type { Answer } from "../lib/http/answer.ts";
import { KiB } from "../lib/http/read-body.ts";
import { HSTS, SECURITY_HEADERS } from "../lib/http/security-headers.ts";
import type { DirectRequest } from "../lib/http/with-site-key.ts";

/** How far the heap may grow past its live size between full collections, in percent; 0: V8's own (up to 300). */
const HEAP_GROWING_PERCENT = Number(process.env.HEAP_GROWING_PERCENT ?? 20);
if (!Number.isInteger(HEAP_GROWING_PERCENT) || HEAP_GROWING_PERCENT < 0 || HEAP_GROWING_PERCENT > 300)
  throw new Error(
    `HEAP_GROWING_PERCENT must be a whole number from 0 to 300, not "${process.env.HEAP_GROWING_PERCENT}".`,
  );

// Run through tsx (`node --import tsx scripts/serve.ts`, as one may while changing it), Node's source-map support
// is on, and Node then reads and keeps the source map of every file loaded after, Next's server chunks
// included: ~190 MiB before any request. `npm start` runs the bundle of this file (scripts/server-entry.ts)
// without tsx; either way its own stack traces are all the maps were for, and `next start` runs without them too.
process.setSourceMapsEnabled(false);
// V8 lets the heap grow by up to 4× its live size before the next full collection, and the live size of a
// Next server after a busy hour is hundreds of MiB: the garbage of an export or an ingest burst then stayed as
// resident memory (+260 to +450 MiB during a 1,000,000-event export, 563 MiB after the ingest loads). 20% over
// the live heap between full collections keeps it near what is live, for a few more (concurrent) collections
// (docs/decisions/022-heap-growth.md).
if (HEAP_GROWING_PERCENT > 0) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || "127.0.0.1";
/** The route's own limit; a body beyond it is not read further (the route answers 413). */
const MAX_BODY = 64 * KiB;

// The config as the build resolved it (.next/required-server-files.json), handed to Next the way its own
// standalone server does (.next/standalone/server.js sets the same variable): without it Next reads
// next.config.ts again at every start and compiles it with SWC, whose native module then stays mapped and
// resident for the life of the process, 25 MiB of RSS (decision 025). next.config.ts reads nothing from the
// environment, so the build's copy is the config. Without a build Next itself says so below.
const builtConfig = path.join(process.cwd(), ".next", "required-server-files.json");
if (fs.existsSync(builtConfig))
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG ??= JSON.stringify(
    JSON.parse(fs.readFileSync(builtConfig, "utf8")).config,
  );
const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
/**
 * A route's handlers from Next's own build of it (`.next/server/app/<route>/route.js`), after prepare: the
 * very module instances Next serves the route with (one require cache, one bundler runtime), so the listener
 * below adds no second copy of the app's code — loading the sources again through tsx held ~230 MiB more —
 * and every cache, pool and drainer is the one Next's copy uses.
 */
async function builtRoute(route: string): Promise<Record<string, Handler & { direct?: PlainHandler }>> {
  const require = createRequire(import.meta.url);
  const mod = require(path.join(process.cwd(), ".next", "server", "app", route, "route.js")) as {
    routeModule: { ensureUserland(): Promise<void>; userland: Record<string, Handler & { direct?: PlainHandler }> };
  };
  await mod.routeModule.ensureUserland();
  return mod.routeModule.userland;
}
const { OPTIONS: collectPreflight, POST: collect } = await builtRoute("api/collect");
const { POST: twilioWebhook } = await builtRoute("api/webhooks/twilio/[workspaceId]");
const { POST: serverEvents } = await builtRoute("api/v1/events");
const { GET: profileLookup } = await builtRoute("api/v1/profiles");
const { GET: profileTimeline } = await builtRoute("api/v1/profiles/[id]/timeline");
if (!collect?.direct || !collectPreflight || !twilioWebhook || !serverEvents || !profileLookup || !profileTimeline)
  throw new Error("The build lacks the collect, events, profile lookup, timeline or Twilio route.");

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
/** A site-key route's `direct` form (lib/http/with-site-key.ts): no web Request or Response on the way. */
type PlainHandler = (req: DirectRequest) => Promise<Answer>;
interface Direct {
  /** The path (no query); its captures become the route's params. Anything else goes to Next. */
  path: RegExp;
  params: string[];
  methods: Record<string, Handler>;
  /** Methods answered by a site-key route's direct form instead (no params: the tracker's endpoint). */
  plain?: Record<string, PlainHandler>;
  /** The route's own body limit: a body past it is dropped and the route answers 413 from the declared size. */
  maxBody: number;
}

const DIRECT: Direct[] = [
  {
    path: /^\/api\/collect$/,
    params: [],
    methods: { OPTIONS: collectPreflight },
    plain: { POST: collect.direct },
    maxBody: MAX_BODY,
  },
  {
    path: /^\/api\/v1\/events$/,
    params: [],
    methods: { POST: serverEvents },
    // The route's own limit (1 MiB): past it the route answers 413.
    maxBody: 1024 * KiB,
  },
  {
    // The lookup a chatbot or a CRM makes on every message ("recognise them instantly"), and what an integrator
    // polls after a collect: through Next's pipeline each one held the event loop that the tracker's requests
    // wait on (a poll every 5 ms cost collect a third of its rate, decision 025).
    path: /^\/api\/v1\/profiles$/,
    params: [],
    methods: { GET: profileLookup },
    maxBody: 0,
  },
  {
    // The person's timeline, a page at a time, as an integration reads it after the lookup. A canonical profile id
    // only: an encoded or odd path is Next's, as for Twilio's below.
    path: /^\/api\/v1\/profiles\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/timeline$/,
    params: ["id"],
    methods: { GET: profileTimeline },
    maxBody: 0,
  },
  {
    // A canonical workspace id only: an encoded or odd path is Next's (the proxy's checks, its 404s).
    path: /^\/api\/webhooks\/twilio\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    params: ["workspaceId"],
    methods: { POST: twilioWebhook },
    // withWebhook reads at most 1 MiB.
    maxBody: 1024 * KiB,
  },
];

function directRoute(req: http.IncomingMessage) {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  for (const route of DIRECT) {
    const plain = route.plain?.[req.method ?? ""];
    const handler = route.methods[req.method ?? ""];
    if (!plain && !handler) continue;
    const match = route.path.exec(pathname);
    if (!match) continue;
    if (plain) return { plain, maxBody: route.maxBody };
    const params = Object.fromEntries(route.params.map((name, i) => [name, match[i + 1] as string]));
    return { handler: handler as Handler, params, maxBody: route.maxBody };
  }
  return null;
}

http
  .createServer((req, res) => {
    const direct = directRoute(req);
    if (direct?.plain) {
      void answerPlain(req, res, direct).catch((error) => failed(req, res, error));
      return;
    }
    if (direct) {
      void answerDirect(req, res, direct).catch((error) => failed(req, res, error));
      return;
    }
    void handle(req, res);
  })
  .listen(port, hostname, () => console.log(`Ready on http://${hostname}:${port}`));

function failed(req: http.IncomingMessage, res: http.ServerResponse, error: unknown) {
  console.error(`${req.method} ${req.url?.split("?")[0]}:`, error);
  if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
  res.end('{"error":{"code":"internal_error","message":"Something went wrong on our side."}}');
}

/** The security headers Next adds to every response (next.config.ts), as node:http takes them. */
const SECURITY: Record<string, string> = Object.fromEntries(SECURITY_HEADERS.map(({ key, value }) => [key, value]));
/** As next.config.ts: HSTS only where the app is reached over https (a TLS proxy in front says so). */
const SECURITY_HTTPS: Record<string, string> = { ...SECURITY, "Strict-Transport-Security": HSTS };
const securityFor = (req: http.IncomingMessage) =>
  req.headers["x-forwarded-proto"] === "https" ? SECURITY_HTTPS : SECURITY;

/**
 * The tracker's one-event request, answered by the collect route's own handler in its direct form: the
 * headers read where node:http parsed them and the answer written as it comes, with no web Request, Headers
 * or Response built on the way (they cost as much as everything else the request does, decision 023).
 */
async function answerPlain(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: { plain: PlainHandler; maxBody: number },
) {
  const raw = await readUpTo(req, route.maxBody);
  const answer = await route.plain({
    url: req.url ?? "/",
    headers: { get: (name) => headerOf(req, name) },
    body: raw === null ? null : raw.toString("utf8"),
  });
  const body = answer.body ?? "";
  res.writeHead(answer.status, {
    ...securityFor(req),
    ...answer.headers,
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** One request header as `Headers.get` gives it: repeated ones joined by ", " (node:http keeps Cookie joined). */
function headerOf(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

async function answerDirect(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: { handler: Handler; params: Record<string, string>; maxBody: number },
) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const url = `http://${req.headers.host ?? `${hostname}:${port}`}${req.url}`;
  const ctx = { params: Promise.resolve(route.params) };
  let response: Response;
  if (req.method === "OPTIONS" || req.method === "GET" || req.method === "HEAD")
    response = await route.handler(new Request(url, { method: req.method, headers }), ctx);
  else {
    const body = await readUpTo(req, route.maxBody);
    // Over the limit: what was read is dropped and the declared size tells the route to answer 413.
    if (body === null) headers.set("content-length", String(route.maxBody + 1));
    response = await route.handler(
      new Request(url, {
        method: req.method,
        headers,
        body: body ? (new Uint8Array(body.buffer, body.byteOffset, body.length) as Uint8Array<ArrayBuffer>) : "",
      }),
      ctx,
    );
  }
  const out: Record<string, string | string[]> = { ...securityFor(req) };
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

// SIGTERM ends the process as the default would, but through exit so that what Node writes on exit is written
// (a --cpu-prof profile; acknowledged events are already in the ingest log, so nothing else is owed).
process.once("SIGTERM", () => process.exit(0));
