/** What a secret key may do, each with the words the settings page shows (one list for server and page). */
export const API_KEY_SCOPE_LABELS = {
  "events:write": "Send events",
  "profiles:read": "Look up people and timelines",
  "profiles:write": "Merge, split and erase people",
  "links:write": "Create tracked links",
  "export:read": "Export a person's data",
  "integrations:read": "See connected integrations",
  "integrations:write": "Connect and disconnect integrations",
  "checkout:write": "Create Stripe checkout links",
  "emails:write": "Send tracked emails",
  "messages:write": "Send SMS and WhatsApp messages",
  "reports:read": "Read reports (ladder, GA comparison)",
} as const;

export type ApiKeyScope = keyof typeof API_KEY_SCOPE_LABELS;
export const API_KEY_SCOPES = Object.keys(API_KEY_SCOPE_LABELS) as [ApiKeyScope, ...ApiKeyScope[]];
