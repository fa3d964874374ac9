import { mkdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The tracker's files: t.js for every visitor, t-consent.js (the banner) only for those who must be asked. */
export const TRACKER_FILES = { "t.js": "lib/tracker/t.ts", "t-consent.js": "lib/tracker/banner.ts" } as const;
/** Gzipped budgets (level 9): t.js is everything a visitor outside the consent regime downloads. */
export const BUDGETS = { "t.js": 2048, "t-consent.js": 1536 } as const;

export type TrackerFile = keyof typeof TRACKER_FILES;

/** Builds both files (es2017, minified, no dependencies) and answers their code and sizes; writes them to public/ unless told not to. */
export async function buildTracker({ write = true } = {}) {
  const sizes = {} as Record<TrackerFile, { bytes: number; gzip: number; code: string }>;
  for (const [name, entry] of Object.entries(TRACKER_FILES) as [TrackerFile, string][]) {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "iife",
      target: "es2017",
      write: false,
      legalComments: "none",
      // The tsconfig's strict mode would add a "use strict" prologue: bytes every visitor downloads for nothing.
      tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
    });
    const code = result.outputFiles[0]!.contents;
    if (write) {
      mkdirSync("public", { recursive: true });
      writeFileSync(`public/${name}`, code);
    }
    sizes[name] = { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, code: result.outputFiles[0]!.text };
  }
  return sizes;
}
