// A tracker-facing app process for the kill -9 test: it takes collect requests (as the route does, through
// collectEvents) from 8 concurrent "visitors" and prints `ACK <eventId>` for each once it was answered 202.
// The test kills it with SIGKILL at a moment of its choosing, mid-append or mid-drain.
import { createDb } from "../../lib/db/client.ts";
import { collectEvents } from "../../lib/ingest/collect-events.ts";

const [url, workspaceId, siteKey, prefix] = process.argv.slice(2) as [string, string, string, string];
const db = createDb(url, { poolMax: 6 });
const headers = new Headers({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36" });
let n = 0;

async function visitor(v: number) {
  for (;;) {
    const i = n++;
    const id = `${prefix}_${i}`;
    const events = [{ id, type: "page_view", ts: Date.now(), url: `https://acme.test/p/${i % 7}` }];
    if (i % 10 === 3)
      events.push({ id: `${id}_f`, type: "identify", ts: Date.now(), props: { email: `v${v}@kill.test` } } as never);
    await collectEvents(db, workspaceId, { site: siteKey, deviceId: `d_kill_${v}_${i % 5}`, events } as never, headers);
    for (const e of events) process.stdout.write(`ACK ${e.id}\n`);
  }
}
for (let v = 0; v < 8; v++) void visitor(v);
