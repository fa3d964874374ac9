// The topic counter's workload (issue 13 item 3, docs/decisions/019): 20,000 customers' messages (SMS, WhatsApp,
// email replies, web forms; a few in Spanish) of 2,000 people sent through POST /api/v1/events (batches of 100,
// 4 clients: the messages' ingest rate), then counted by the `topics` job's function in bounded batches (the
// counter's throughput, messages per second, one process). Then a second round while ingesting: the same number
// of new messages sent while the counter runs beside them, to see that it keeps up under load.
// The figures go in docs/BENCHMARKS.md's notes by hand (BENCH_ONLY=topics prints them).
import type { Db } from "../lib/db/client.ts";
import { countTopics } from "../lib/topics/count-topics.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { updateSettings } from "../lib/workspaces/update-settings.ts";
import { ingestTimed } from "./workload.ts";

const MESSAGES = Number(process.env.BENCH_TOPICS_MESSAGES ?? 20_000);
const PEOPLE = 2_000;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const QUESTIONS = [
  "Do you sell boxes, or only rent crates?",
  "How much for a two bedroom move on Saturday?",
  "Can you move my piano up two flights of stairs?",
  "Do you do wine cellars? We have about 300 bottles.",
  "Is storage available for a month between leases?",
  "Thanks, see you then",
  "Do you offer packing and unpacking, and how long does it take?",
  "Can I pay the deposit by card? Is there a discount for seniors?",
  "We need a hot tub moved to the new house, is that something you do?",
  "Running ten minutes late, sorry!",
  "Hola, ¿tienen cajas para la mudanza?",
  "Do you have insurance if something breaks? Last movers scratched our table.",
];

function messages(prefix: string, t0: number) {
  return Array.from({ length: MESSAGES }, (_, i) => {
    const person = i % PEOPLE;
    const body = `${QUESTIONS[i % QUESTIONS.length]}${i % 7 === 0 ? " Also, do you move aquariums?" : ""}`;
    const at = new Date(t0 + i * 30_000).toISOString();
    const kind = i % 10;
    if (kind === 9)
      return {
        id: `${prefix}${i}`,
        source: "web",
        type: "form_submit",
        occurredAt: at,
        identity: { email: `p${person}.${prefix}@bench.test` },
        properties: { form: "contact", message: body },
      };
    if (kind === 8)
      return {
        id: `${prefix}${i}`,
        source: "email",
        type: "email_replied",
        channel: "email",
        occurredAt: at,
        identity: { email: `p${person}.${prefix}@bench.test` },
        properties: { text: `${body}\n\nOn Mon, Acme <hi@acme.test> wrote:\n> Your quote` },
      };
    return {
      id: `${prefix}${i}`,
      source: "channel",
      type: "message_in",
      channel: kind % 2 ? "whatsapp" : "sms",
      direction: "in",
      occurredAt: at,
      identity: { phone: `+1805${String(6_000_000 + person).padStart(7, "0")}` },
      properties: { body },
    };
  });
}

export async function topicsWorkload(db: Db, base: string) {
  const ws = await createWorkspace(db, { name: "Bench Topics", ownerEmail: `topics.${Date.now()}@bench.test` });
  await updateSettings(db, ws.workspaceId, { businessType: "movers" });
  const t0 = Date.now() - 20 * 86_400_000;

  // 1. The messages' ingest rate through HTTP, alone.
  const ingest = await ingestTimed(base, ws.apiKey, messages("a", t0) as never, 100, 4);
  console.log(`ingest: ${fmt(ingest.rate)} messages/s (${MESSAGES} in ${ingest.seconds.toFixed(1)} s)`);

  // 2. Counting them, alone: batches of 500 in one process (nothing ingests meanwhile: no settling time).
  const start = performance.now();
  const counted = await countTopics(db, new Date(), { budgetMs: 600_000, settleMs: 0 });
  const countSeconds = (performance.now() - start) / 1000;
  const countRate = counted.read / countSeconds;
  console.log(
    `count: ${fmt(countRate)} messages/s (${counted.read} read, ${counted.analysed} analysed, ${counted.skipped} skipped, ${counted.mentions} mentions, ${counted.newTopics} new topics, ${counted.batches} batches in ${countSeconds.toFixed(1)} s)`,
  );

  // 3. Both at once: new messages ingested while the counter runs back to back beside them, each run counting
  //    what is older than SETTLE (the job's 2 minutes, shortened so the round stays short); then until all is read.
  const SETTLE = 20_000;
  let ingesting = true;
  const sent = ingestTimed(base, ws.apiKey, messages("b", t0 + 1000) as never, 100, 4).finally(() => {
    ingesting = false;
  });
  let read = 0;
  let runs = 0;
  let countMs = 0;
  const once = async () => {
    const t = performance.now();
    const r = await countTopics(db, new Date(), { budgetMs: 600_000, settleMs: SETTLE });
    countMs += performance.now() - t;
    read += r.read;
    runs++;
    if (!r.read) await new Promise((res) => setTimeout(res, 500));
  };
  while (ingesting) await once();
  const during = await sent;
  const readDuring = read;
  const ended = performance.now();
  while (read < MESSAGES && performance.now() - ended < SETTLE + 60_000) await once();
  const caughtUp = (performance.now() - ended) / 1000;
  const p = (q: number) =>
    during.times[Math.min(during.times.length - 1, Math.floor(during.times.length * q))]?.toFixed(0);
  console.log(
    `together: ingest ${fmt(during.rate)} messages/s (batch p50/p95 ${p(0.5)}/${p(0.95)} ms); the counter read ${fmt(readDuring)} while ingest ran and ${fmt(read)} of ${fmt(MESSAGES)} in all (${runs} runs, ${(countMs / 1000).toFixed(1)} s counting, ${fmt(read / (countMs / 1000))} messages/s while busy), all read ${caughtUp.toFixed(1)} s after ingest ended (settling time ${SETTLE / 1000} s)`,
  );
  console.log(
    `\nTopic counting ${fmt(countRate)} messages/s against an ingest rate of ${fmt(ingest.rate)} messages/s: ${(countRate / ingest.rate).toFixed(1)}×.`,
  );
}
