import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { postJson } from "./post-json.ts";
import { isPublicAddress, PrivateDestinationError } from "./public-destination.ts";

test("private, loopback, link-local, reserved and IPv4-embedding addresses are not public", () => {
  const reserved = [
    "127.0.0.1",
    "127.255.1.2",
    "0.0.0.0",
    "10.1.2.3",
    "100.64.0.1",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "198.18.0.1",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2002:a00:1::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "not an address",
  ];
  for (const a of reserved) expect(isPublicAddress(a), a).toBe(false);
  for (const a of [
    "8.8.8.8",
    "::ffff:8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "2a00:1450::1",
  ])
    expect(isPublicAddress(a), a).toBe(true);
});

let hits = 0;
const receiver = http.createServer((req, res) => {
  hits++;
  req.resume();
  req.on("end", () => res.writeHead(204).end());
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

test("publicOnly: an IP literal or a name resolving to this machine is refused before any request is sent", async () => {
  const before = hits;
  for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, `http://[::1]:${port}/hook`]) {
    const refused = await postJson(url, {}, "{}", { timeoutMs: 2000, publicOnly: true }).catch((e: Error) => e);
    expect(refused, url).toBeInstanceOf(PrivateDestinationError);
    expect((refused as Error).message, url).toMatch(/private or reserved address/);
  }
  expect(hits).toBe(before);
  // Without the guard (tests, development) the same receiver is reached and its status returned.
  expect(await postJson(`http://localhost:${port}/hook`, {}, "{}", { timeoutMs: 2000, publicOnly: false })).toBe(204);
  expect(hits).toBe(before + 1);
});

test("a receiver that never answers is a TimeoutError, not a hang", async () => {
  const silent = http.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  try {
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    const error = await postJson(url, {}, "{}", { timeoutMs: 300, publicOnly: false }).catch((e: Error) => e);
    expect((error as Error).name).toBe("TimeoutError");
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});
