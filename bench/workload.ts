// The benchmark's workload: synthetic people (about ten events each, climbing the ladder like real visitors do)
// and the load generator that sends them to POST /api/v1/events.

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

/** About ten events per person, climbing the ladder like real visitors do. */
export function personEvents(prefix: string, i: number, count = 10): ApiEvent[] {
  const device = `d_${prefix}_${i}`;
  const email = `p${i}.${prefix}@bench.test`;
  const out: ApiEvent[] = [];
  let t = T0 + i * 60_000;
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

async function send(base: string, key: string, events: ApiEvent[]) {
  const res = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ events }),
  });
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
}

/** Sends all events in batches of `size` with `clients` concurrent senders; returns events per second. */
export async function ingestAll(base: string, key: string, events: ApiEvent[], size = 100, clients = 4) {
  const batches: ApiEvent[][] = [];
  for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < batches.length) await send(base, key, batches[next++] as ApiEvent[]);
    }),
  );
  return events.length / ((performance.now() - start) / 1000);
}
