import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { expect, test, vi } from "vitest";
import type { SessionUser } from "../../lib/auth/session.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

// Every route handler of app/, found on disk so a new route is covered the day it is written: each answers
// all five methods (the ones it does not serve with a JSON 405), and no input makes any of them answer 5xx.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const w = await testWorkspace(db);
session.user = { id: w.ownerId, email: w.ownerEmail, name: null };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === "route.ts" ? [path] : [];
  });
}

const root = join(import.meta.dirname, "../..");
const routes = await Promise.all(
  routeFiles(join(root, "app")).map(async (file) => {
    const path = `/${relative(join(root, "app"), file)}`
      .replace(/\/route\.ts$/, "")
      .replace(/\/\([^)]+\)/g, "")
      .replace(/^$/, "/");
    const segments = [...path.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1] as string);
    return { path, segments, module: (await import(file)) as Partial<Record<string, Handler>> };
  }),
);
// next-auth's own handler answers its routes itself (its GET/POST need Next's request scope).
const ours = routes.filter((r) => !r.path.startsWith("/api/auth/"));

test("the route list is found on disk", () => {
  expect(ours.map((r) => r.path)).toEqual(
    expect.arrayContaining(["/api/collect", "/api/v1/events", "/api/app/[workspace]/keys", "/l/[code]"]),
  );
});

test("every route answers all five methods: the ones it does not serve with a JSON 405 and an Allow header", async () => {
  for (const route of routes) {
    for (const method of METHODS) expect(route.module[method], `${method} ${route.path}`).toBeTypeOf("function");
  }
  for (const route of ours) {
    for (const method of METHODS) {
      const res = await route.module[method]?.(request(route.path, method, {}), ctx(route, {}));
      if (res?.status !== 405) continue;
      expect(res.headers.get("allow"), `${method} ${route.path}`).toMatch(/OPTIONS$/);
      expect((await res.json()).error.code).toBe("method_not_allowed");
    }
  }
});

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.constantFrom(
    "",
    "\u0000",
    "\ud800",
    "%",
    "../..",
    "a".repeat(3000),
    w.slug,
    "auth-cleanup",
    "00000000-0000-0000-0000-000000000000",
  ),
);
const auth = fc.constantFrom<Record<string, string>>(
  {},
  { authorization: `Bearer ${w.apiKey}` },
  { authorization: `Bearer ${w.siteKey}` },
  { authorization: `Bearer ${process.env.CRON_SECRET}` },
  { authorization: "Bearer sk_%00" },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
  fc
    .record({ site: fc.constant(w.siteKey), deviceId: text, events: fc.array(fc.jsonValue(), { maxLength: 3 }) })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ name: text, email: text, retentionMonths: fc.jsonValue(), otherProfileId: text }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
);
const query = fc.dictionary(
  fc.constantFrom("limit", "cursor", "source", "email", "format", "touch", "range", "site", "x"),
  text,
  {
    maxKeys: 3,
  },
);

test("property: random params, queries, bodies and keys never make any route answer 5xx", async () => {
  for (const route of ours) {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.array(text, { minLength: route.segments.length, maxLength: route.segments.length }),
        query,
        body,
        auth,
        async (method, values, q, raw, headers) => {
          const params = Object.fromEntries(
            route.segments.map((s, i) => [s, s === "workspace" && i % 2 ? w.slug : (values[i] ?? "")]),
          );
          const url = `${route.path}?${new URLSearchParams(q as Record<string, string>)}`;
          const req = request(url, method, {
            headers: { ...headers, "content-type": "application/json", "x-forwarded-for": "192.0.2.50" },
            body: method === "GET" ? undefined : raw,
          });
          const res = await route.module[method]?.(req, ctx(route, params));
          expect(res?.status ?? 0, `${method} ${url} ${raw}`).toBeLessThan(500);
          expect(res?.status ?? 0).toBeGreaterThanOrEqual(200);
        },
      ),
      { numRuns: 80 },
    );
  }
});

function request(path: string, method: string, o: { headers?: Record<string, string>; body?: string }) {
  const safe = path.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c.toWellFormed()));
  return new Request(`http://localhost${safe}`, {
    method,
    headers: o.headers,
    body: method === "GET" || method === "HEAD" ? undefined : o.body,
  });
}

function ctx(_route: { segments: string[] }, params: Record<string, string>) {
  return { params: Promise.resolve(params) };
}
