// The business's own Next.js site (not OneThread): serve the tracker and its endpoint from your domain.
// docs/first-party-serving.md explains why and what changes. The page then loads the script from /ot/:
//   <script defer src="/ot/t.js" data-site="pk_…" data-consent="auto"></script>
import type { NextConfig } from "next";

/** Where your OneThread app runs (its origin, no trailing slash). Read when the site is built, as rewrites are. */
const ONETHREAD = process.env.ONETHREAD_ORIGIN ?? "https://app.onethread.example";

const nextConfig: NextConfig = {
  async rewrites() {
    return {
      // beforeFiles: ahead of your own pages and routes, so /ot/* is always OneThread's.
      // Next proxies the request to ONETHREAD with `X-Forwarded-Host: <your host>` and the browser's `Origin`,
      // which is how OneThread knows the request came first-party and may set the `ot_id` cookie itself.
      beforeFiles: [{ source: "/ot/:path*", destination: `${ONETHREAD}/:path*` }],
    };
  },
};

export default nextConfig;
