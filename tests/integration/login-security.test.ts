import { expect, test } from "vitest";
import { POST as signup } from "../../app/api/signup/route.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";

await useTestDb();

test("sign-up is limited per client: one address's bad sign-ups do not block another's", async () => {
  const from = (ip: string) => ({ raw: "{not json", headers: { "x-forwarded-for": ip } });
  let last = await call(signup, "/api/signup", from("203.0.113.1"));
  for (let i = 0; i < 60; i++) last = await call(signup, "/api/signup", from("203.0.113.1"));
  expect(last.status).toBe(429);
  expect(last.json.error.code).toBe("rate_limited");
  expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  const other = await call(signup, "/api/signup", from("203.0.113.2"));
  expect(other.status).toBe(400);
  expect(other.json.error.code).toBe("invalid_json");
});
