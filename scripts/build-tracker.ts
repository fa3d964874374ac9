// Builds public/t.js and public/t-consent.js from lib/tracker/ (run by postinstall and `npm run build`).
// Fails when a file is over its gzipped budget, as the unit test lib/tracker/size-budget.test.ts does.
import { BUDGETS, buildTracker, type TrackerFile } from "../lib/tracker/build-tracker.ts";

const sizes = await buildTracker();
for (const [name, s] of Object.entries(sizes) as [TrackerFile, { bytes: number; gzip: number }][]) {
  const over = s.gzip > BUDGETS[name];
  console.log(
    `public/${name}: ${s.bytes} bytes, ${s.gzip} gzipped (budget ${BUDGETS[name]})${over ? " OVER BUDGET" : ""}`,
  );
  if (over) process.exitCode = 1;
}
