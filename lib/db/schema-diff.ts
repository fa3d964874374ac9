import fs from "node:fs";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * The SQL that takes a database shaped like `fromSchema` (or an empty one, when null) to `toSchema`,
 * computed by Prisma's own schema engine compiled to WebAssembly: no native engine download needed.
 * It needs a reachable Postgres (nothing is written there). See docs/decisions/002-migration-runner.md.
 */
let loaded: Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")> | undefined;

/** The WASM module is instantiated once per process: its JS glue keeps one global instance. */
function loadEngine() {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
    const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  return loaded;
}

export async function diffSchemas(fromSchema: string | null, toSchema: string, databaseUrl: string) {
  const bg = await loadEngine();

  const adapter = bindMigrationAwareSqlAdapterFactory(
    new PrismaPg({ connectionString: databaseUrl, max: 1 }, { schema: "public" }),
  );
  const engine = await bg.SchemaEngine.new({ datamodels: [["schema.prisma", toSchema]] }, () => {}, adapter);
  const from =
    fromSchema === null
      ? { tag: "empty" as const }
      : { tag: "schemaDatamodel" as const, files: [{ path: "schema.prisma", content: fromSchema }] };
  const result = await engine.diff({
    from,
    to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: toSchema }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return result.stdout ?? "";
}
