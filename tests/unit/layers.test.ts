import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, test } from "vitest";

// The layout is the architecture (STYLE.md 1, docs/ARCHITECTURE.md): these keep it honest as files are added.
const root = resolve(import.meta.dirname, "../..");

function files(dir: string, match: (name: string) => boolean): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : files(path, match);
    return match(e.name) ? [path] : [];
  });
}

/** The repository-relative targets of a file's relative and `@/` imports. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(root, file), "utf8");
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)]
    .map((m) => m[1] as string)
    .filter((spec) => spec.startsWith(".") || spec.startsWith("@/"))
    .map((spec) =>
      spec.startsWith("@/") ? spec.slice(2) : relative(root, resolve(root, dirname(file), spec)).replaceAll("\\", "/"),
    );
}

test("no domain folder of lib/ imports the HTTP layer (lib/http imports the domain, never the reverse)", () => {
  const domain = files("lib", (n) => n.endsWith(".ts") && !n.endsWith(".test.ts")).filter(
    (f) => !f.startsWith("lib/http/"),
  );
  expect(domain.length).toBeGreaterThan(50);
  const arrows = domain.flatMap((f) =>
    importsOf(f)
      .filter((t) => t.startsWith("lib/http/"))
      .map((t) => `${f} → ${t}`),
  );
  expect(arrows).toEqual([]);
});

test("routes stay thin: no route.ts over 40 lines, and none reaches into Prisma's raw SQL itself", () => {
  const routes = files("app", (n) => n === "route.ts");
  expect(routes.length).toBeGreaterThan(15);
  const fat = routes
    .map((f) => ({ f, lines: readFileSync(join(root, f), "utf8").trimEnd().split("\n").length }))
    .filter((r) => r.lines > 40)
    .map((r) => `${r.f}: ${r.lines} lines`);
  expect(fat).toEqual([]);
  const raw = routes.filter((f) => /\$(queryRaw|executeRaw)/.test(readFileSync(join(root, f), "utf8")));
  expect(raw).toEqual([]);
});
