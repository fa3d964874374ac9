import { defineConfig } from "prisma/config";

// The app applies migrations itself (lib/db/migrate.ts); this file serves `prisma generate` and, where
// Prisma's native engine can be downloaded, `prisma migrate deploy`.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/onethread" },
});
