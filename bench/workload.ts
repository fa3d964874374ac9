// The benchmark's workload: synthetic people (about ten events each, climbing the ladder like real visitors do)
// and the load generator that sends them to POST /api/v1/events.
import http from "node:http";

export type ApiEvent = {
  id: string;
  source: string;
  type: string;
  occurredAt: string;
  identity: Record<string, string>;
  channel?: string;
  direction?: string;
  properties?: Record<string, unknown>;
  campaign?: Record<string, string>;
};

const T0 = Date.parse("2026-01-01T00:00:00Z");
const PHONE_BASE: Record<string, number> = {
  in: 1_000_000,
  rd: 2_000_000,
  hv: 3_000_000,
  mg: 4_000_000,
  mh: 5_000_000,
};
export const phoneOf = (i: number, prefix = "rd") =>
  `+1805${String((PHONE_BASE[prefix] ?? 6_000_000) + i).padStart(7, "0")}`;

/**
 * About ten events per person, climbing the ladder like real visitors do. Person i starts at `t0 + i × spacing`
 * (by default one a minute from 2026-01-01).
 */
export function personEvents(
  prefix: string,
  i: number,
  count = 10,
  { t0 = T0, spacingMs = 60_000 }: { t0?: number; spacingMs?: number } = {},
): ApiEvent[] {
  const device = `d_${prefix}_${i}`;
  const email = `p${i}.${prefix}@bench.test`;
  const out: ApiEvent[] = [];
  let t = t0 + i * spacingMs;
  const at = () => {
    t += 90_000;
    return new Date(t).toISOString();
  };
  for (let n = 0; n < count; n++) {
    const id = `${prefix}_${i}_${n}`;
    const k = n % 10;
    if (k < 4) {
      out.push({
        id,
        source: "web",
        type: "page_view",
        occurredAt: at(),
        identity: { deviceId: device },
        properties: { url: `https://acme.test/page-${k}/`, title: `Page ${k}` },
        ...(n === 0 ? { campaign: { utm_source: "google", utm_medium: "cpc", utm_campaign: "bench" } } : {}),
      });
    } else if (k === 4) {
      out.push({
        id,
        source: "web",
        type: "form_submit",
        occurredAt: at(),
        identity: { deviceId: device, email },
        properties: { form: "quote" },
      });
    } else if (k < 7) {
      out.push({
        id,
        source: "email",
        type: k === 5 ? "email_sent" : "email_opened",
        occurredAt: at(),
        identity: { email },
        channel: "email",
      });
    } else if (k < 9) {
      out.push({
        id,
        source: "channel",
        type: "message_in",
        occurredAt: at(),
        identity: { phone: phoneOf(i, prefix), ...(k === 7 ? { email } : {}) },
        channel: "whatsapp",
        direction: "in",
        properties: { body: `Is Saturday free? (${n})` },
      });
    } else {
      out.push({
        id,
        source: i % 5 === 0 ? "webhook" : "agent",
        type: i % 5 === 0 ? "payment_succeeded" : "agent_action",
        occurredAt: at(),
        identity: { email, ...(i % 5 === 0 ? { accountId: `cus_${prefix}_${i}` } : {}) },
        properties: { agent: "qualify", action: "qualified_lead", amount: 5000 },
      });
    }
  }
  return out;
}

export function interleave(people: ApiEvent[][]): ApiEvent[] {
  return people.flat().sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * A request on a kept-alive socket that the server closed as idle just as it was sent (its keep-alive timeout,
 * 5 s, ran out while the bench measured something else) fails with ECONNRESET before the server read it. Sent
 * again once on a fresh socket, as Node's documentation of `request.reusedSocket` advises; any other error stands.
 */
async function onceMoreIfStale<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if ((error as { stale?: boolean }).stale) return attempt();
    throw error;
  }
}

/** The error of `req`, marked when it is that race (a reused socket reset before any answer). */
const staleOr = (req: http.ClientRequest, reject: (e: unknown) => void) => (error: NodeJS.ErrnoException) =>
  reject(Object.assign(error, { stale: req.reusedSocket && error.code === "ECONNRESET" }));

/** A POST of a body serialised beforehand, on a kept-alive connection; resolves on `status`, else rejects. */
function post(url: URL, headers: http.OutgoingHttpHeaders, body: Buffer, status: number, what: string) {
  return onceMoreIfStale(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            agent,
            headers: { ...headers, "content-length": body.length },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              if (res.statusCode === status) resolve();
              else
                reject(
                  new Error(`${what} answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`),
                );
            });
            res.on("error", reject);
          },
        );
        req.on("error", staleOr(req, reject));
        req.end(body);
      }),
  );
}

/** One POST /api/v1/events of a body serialised beforehand, on a kept-alive connection (like wrk or autocannon). */
function send(base: string, key: string, body: Buffer) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  return post(new URL("/api/v1/events", base), headers, body, 200, "ingest");
}

/** A GET on the same kept-alive client: status and body (for the latency figures). */
export function get(url: string, headers: Record<string, string>) {
  return onceMoreIfStale(
    () =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = http.get(url, { agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        });
        req.on("error", staleOr(req, reject));
      }),
  );
}

/**
 * Sends all events in batches of `size` with `clients` concurrent senders; returns events per second. The
 * bodies are serialised before the clock starts: the load generator shares the cores with the server and
 * Postgres, and should take as little of them as it can.
 */
export async function ingestAll(base: string, key: string, events: ApiEvent[], size = 100, clients = 4) {
  return (await ingestTimed(base, key, events, size, clients)).rate;
}

/** `ingestAll`, with each request's time (sorted, ms) as well. */
export async function ingestTimed(base: string, key: string, events: ApiEvent[], size = 100, clients = 4) {
  const bodies: Buffer[] = [];
  for (let i = 0; i < events.length; i += size)
    bodies.push(Buffer.from(JSON.stringify({ events: events.slice(i, i + size) })));
  const run = await drive(bodies, clients, (body) => send(base, key, body));
  return { ...run, rate: events.length / run.seconds };
}

/**
 * `clients` concurrent senders working through `bodies` in order; each request timed from sending to the last
 * byte of its answer. Returns the wall time and the sorted request times (ms).
 */
export async function drive(bodies: Buffer[], clients: number, request: (body: Buffer) => Promise<void>) {
  const times: number[] = new Array(bodies.length);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const t = performance.now();
        await request(bodies[i] as Buffer);
        times[i] = performance.now() - t;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { seconds, times: times.sort((a, b) => a - b) };
}

// --- The tracker's real pattern: one event per POST /api/collect -------------------------------------------

/** A current desktop Chrome, as sendBeacon sends it (the bot filter drops anything that looks like a crawler). */
export const CHROME_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** The page the bench's tracker runs on: a cross-site call, as from a business's site to the app's domain. */
const PAGE_ORIGIN = "https://acme.test";

/** One tracker request per new visitor: a page_view of a new device id (`d_<prefix>_<i>`), as the tracker sends it. */
export function collectBody(site: string, prefix: string, i: number) {
  return Buffer.from(
    JSON.stringify({
      site,
      deviceId: `d_${prefix}_${i}`,
      events: [
        {
          id: `${prefix}_${i}`,
          type: "page_view",
          ts: T0 + i * 1000,
          url: `${PAGE_ORIGIN}/pricing/?ref=${i % 7}`,
          referrer: "https://www.google.com/",
          title: "Pricing — Acme",
        },
      ],
    }),
  );
}

/** POST /api/collect (or any path) of a text/plain body as navigator.sendBeacon sends it; resolves on `status`. */
export function beacon(base: string, body: Buffer, path = "/api/collect", status = 202) {
  const headers = {
    "content-type": "text/plain;charset=UTF-8",
    "user-agent": CHROME_UA,
    origin: PAGE_ORIGIN,
    referer: `${PAGE_ORIGIN}/pricing/`,
  };
  return post(new URL(path, base), headers, body, status, "collect");
}

// --- Interleaved batches: 100 events of 100 different people ----------------------------------------------

/**
 * `count` events where event i belongs to person i mod `people` (a CRM sync, a chatbot backlog): each carries
 * the person's device; the person's 5th event (every 10th event of the stream) is a form with their email,
 * their 8th a callback form with their phone. Consecutive events are different people, so a batch of 100
 * touches 100 of them.
 */
export function interleavedEvents(prefix: string, count = 20_000, people = 2000): ApiEvent[] {
  return Array.from({ length: count }, (_, i): ApiEvent => {
    const p = i % people;
    const k = Math.floor(i / people);
    const identity: Record<string, string> = { deviceId: `d_${prefix}_${p}` };
    if (k % 10 === 4) identity.email = `p${p}.${prefix}@bench.test`;
    if (k % 10 === 7) identity.phone = phoneOf(p, prefix);
    return {
      id: `${prefix}_${i}`,
      source: "web",
      type: k % 10 === 4 || k % 10 === 7 ? "form_submit" : "page_view",
      occurredAt: new Date(T0 + i * 1000).toISOString(),
      identity,
      properties: { url: `https://acme.test/page-${k}/`, ...(k % 10 === 7 ? { form: "callback" } : {}) },
    };
  });
}
