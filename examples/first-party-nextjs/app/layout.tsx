import type { ReactNode } from "react";

/** A business's own site (the example): every page carries the tracker, served from this site's /ot/. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <script defer src="/ot/t.js" data-site={process.env.ONETHREAD_SITE_KEY} data-consent="auto" />
      </head>
      <body>{children}</body>
    </html>
  );
}
