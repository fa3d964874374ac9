// Generates the Prisma client without the native schema engine (which cannot be downloaded offline).
// `prisma generate` never uses that engine, but the CLI insists on a path: point it at any existing file
// only when the user has not chosen one, so a normal online install is untouched. See docs/decisions/002.
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = "/bin/false";
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
