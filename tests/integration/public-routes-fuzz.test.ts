import fc from "fast-check";
import { expect, test } from "vitest";
import { GET as pixelGet } from "../../app/api/o/[token]/route.ts";
import { POST as createLink } from "../../app/api/v1/links/route.ts";
import { GET as linkGet } from "../../app/l/[code]/route.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

// No input makes the server answer 5xx: the routes of tracked links and the open pixel, under random input.
const { db } = await useTestDb();
const w = await testWorkspace(db);

type Ctx = { params: Promise<Record<string, string>> };
const openLink = (req: Request, ctx?: Ctx) => linkGet(req, ctx as Parameters<typeof linkGet>[1]);
const pixel = (req: Request, ctx?: Ctx) => pixelGet(req, ctx as Parameters<typeof pixelGet>[1]);
/** The path as a client would send it (a lone surrogate cannot travel in a URL; the handler still sees it raw). */
const pathOf = (s: string) => encodeURIComponent(s.toWellFormed());

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "%", "../", "a".repeat(2100), "javascript:alert(1)", "https://a.test/x"),
);

test("property: POST /api/v1/links with random or near-valid bodies never gets a 5xx and stores nothing bad", async () => {
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        url: fc.oneof(text, fc.webUrl(), fc.jsonValue()),
        profileId: fc.oneof(text, fc.uuid(), fc.constant(null)),
        channel: fc.oneof(fc.constantFrom("sms", "email", "whatsapp", "fax"), fc.jsonValue()),
        campaign: fc.oneof(fc.record({ utm_source: text, utm_campaign: text }, { requiredKeys: [] }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    ),
  );
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const res = await call(createLink, "/api/v1/links", { key: w.apiKey, body: b });
      expect([201, 400, 404, 413]).toContain(res.status);
    }),
    { numRuns: 150 },
  );
  const stored = await db.trackedLink.findMany({ where: { workspaceId: w.workspaceId }, select: { url: true } });
  for (const l of stored) expect(l.url).toMatch(/^https?:\/\//);
});

test("property: GET /l/{code} and GET /api/o/{token} with any path segment never get a 5xx", async () => {
  let client = 0;
  const segment = fc.oneof(text, fc.stringMatching(/^[A-Za-z0-9]{10}$/), fc.uuid());
  await fc.assert(
    fc.asyncProperty(segment, async (s) => {
      // Each run from its own client: the per-client rate limit has its own test (edge-hardening).
      const headers = { "x-forwarded-for": `198.18.${++client >> 8}.${client & 255}` };
      const link = await call(openLink, `/l/${pathOf(s)}`, { params: { code: s }, headers });
      expect([302, 404]).toContain(link.status);
      const gif = await call(pixel, `/api/o/${pathOf(s)}`, { params: { token: s }, headers });
      expect(gif.status).toBe(200);
      expect(gif.headers.get("content-type")).toBe("image/gif");
    }),
    { numRuns: 150 },
  );
});
