const dev = process.env.NODE_ENV === "development";

/**
 * The app's own pages may not be framed (clickjacking), sniffed or leak full URLs as referrers. Scripts come
 * from the app only; 'unsafe-inline' is there for the inline bootstrap scripts Next writes into every page
 * (a nonce would make every page, the login included, render per request: decision 005), and 'unsafe-eval'
 * only for development's hot reload. The tracker (/t.js), tracked links and the open pixel live on customers'
 * pages and mails: a CSP of the app's own does not restrict how another site loads them.
 */
const CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? " ws:" : ""}`,
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CSP },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** Sent only where the app is reached over https (behind Vercel or a TLS proxy): never on plain localhost. */
export const HSTS = "max-age=63072000";
