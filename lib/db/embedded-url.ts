/**
 * The embedded server's connection strings carry this application name. The server is one PGlite session
 * behind a socket, shared by every pool connection, so what a connection would keep for itself (named
 * prepared statements) would clash there: "prepared statement … already exists" (lib/db/raw-sql.ts).
 */
const EMBEDDED_APP = "onethread-embedded";

export const embeddedUrlFor = (port: number) =>
  `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable&application_name=${EMBEDDED_APP}`;

export const isEmbeddedUrl = (url: string) => {
  try {
    return new URL(url).searchParams.get("application_name") === EMBEDDED_APP;
  } catch {
    return false;
  }
};
