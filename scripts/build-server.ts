// The last step of `npm run build`: scripts/serve.ts bundled to .next/onethread-serve.mjs (scripts/server-entry.ts).
// Packages stay imports (Next is the very one the build was made with); the few lib/ constants it reads are inlined.
import { build } from "esbuild";
import { SERVER_ENTRY } from "./server-entry.ts";

await build({
  entryPoints: ["scripts/serve.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  outfile: SERVER_ENTRY,
  logLevel: "warning",
});
console.log(`${SERVER_ENTRY}: npm start's server`);
