import type { ReactNode } from "react";

// Everything in the owner app depends on the session and the database: never prerender it at build time.
export const dynamic = "force-dynamic";

export default function OwnerAppLayout({ children }: { children: ReactNode }) {
  return children;
}
