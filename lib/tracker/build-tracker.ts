import { mkdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The tracker's files: t.js for every visitor, t-consent.js (the banner) only for those who must be asked. */
export const TRACKER_FILES = { "t.js": "lib/tracker/t.ts", "t-consent.js": "lib/tracker/banner.ts" } as const;
/** Gzipped budgets: t.js is what every visitor outside the consent regime downloads. */
export const BUDGETS = { "t.js": 2048, "t-consent.js": 1536 } as const;

/** Builds both files (minified, no dependencies) and answers their sizes; writes them to public/ unless told not to. */
export async function buildTracker({ write = true } = {}) {
  const sizes = {} as Record<keyof typeof TRACKER_FILES, { bytes: number; gzip: number }>;
  for (const [name, entry] of Object.entries(TRACKER_FILES) as [keyof typeof TRACKER_FILES, string][]) {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "iife",
      target: "es2020",
      write: false,
      legalComments: "none",
    });
    const code = result.outputFiles[0]!.contents;
    if (write) {
      mkdirSync("public", { recursive: true });
      writeFileSync(`public/${name}`, code);
    }
    sizes[name] = { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
  }
  return sizes;
}
