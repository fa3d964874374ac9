// A second app instance for the multi-instance tests: its own process (its own module caches, pools and
// drainer), serving the app's real route handlers over real HTTP on a free loopback port, which it prints as
// `LISTENING <port>`. Only the routes those tests call are mapped. The database is DATABASE_URL.
import { createServer } from "node:http";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: [RegExp, string[], string][] = [
  [/^\/api\/collect$/, [], "../../app/api/collect/route.ts"],
  [/^\/api\/v1\/events$/, [], "../../app/api/v1/events/route.ts"],
  [/^\/api\/v1\/messages$/, [], "../../app/api/v1/messages/route.ts"],
  [/^\/api\/v1\/emails$/, [], "../../app/api/v1/emails/route.ts"],
  [/^\/api\/v1\/profiles\/([^/]+)\/opt-out$/, ["id"], "../../app/api/v1/profiles/[id]/opt-out/route.ts"],
  [/^\/api\/v1\/profiles\/([^/]+)\/opt-in$/, ["id"], "../../app/api/v1/profiles/[id]/opt-in/route.ts"],
  [/^\/api\/v1\/profiles\/([^/]+)$/, ["id"], "../../app/api/v1/profiles/[id]/route.ts"],
  [/^\/api\/v1\/profiles$/, [], "../../app/api/v1/profiles/route.ts"],
];
const modules = new Map<string, Record<string, Handler>>();
for (const [, , file] of ROUTES) modules.set(file, await import(file));

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = ROUTES.find(([re]) => re.test(url.pathname));
    const handler = route ? modules.get(route[2])?.[req.method ?? "GET"] : undefined;
    if (!route || !handler) {
      res.writeHead(404).end();
      return;
    }
    const match = route[0].exec(url.pathname) as RegExpExecArray;
    const params = Object.fromEntries(route[1].map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(url, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const answer = await handler(request, { params: Promise.resolve(params) });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch (error) {
    process.stderr.write(`app-child: ${(error as Error).stack}\n`);
    res.writeHead(500).end();
  }
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as { port: number }).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
