// Builds public/t.js and public/t-consent.js from lib/tracker/ (run by postinstall and `npm run build`).
import { BUDGETS, buildTracker } from "../lib/tracker/build-tracker.ts";

const sizes = await buildTracker();
for (const [name, s] of Object.entries(sizes)) {
  console.log(`public/${name}: ${s.bytes} bytes, ${s.gzip} gzipped (budget ${BUDGETS[name as keyof typeof BUDGETS]})`);
}
