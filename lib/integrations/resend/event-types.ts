/** The settings page's signed test event: verified and logged, never stored on anyone. */
export const TEST_EVENT_TYPE = "onethread.test_event";

/** Resend's email events and the OneThread event each becomes (API.md "Webhooks"). */
export const EMAIL_EVENT_TYPES = {
  "email.sent": "email_sent",
  "email.delivered": "email_delivered",
  "email.opened": "email_opened",
  "email.clicked": "email_clicked",
  "email.bounced": "email_bounced",
  "email.complained": "email_complained",
} as const;

/** Types that change only the send's status (no event): Resend gave up on it, or its suppression list stopped it. */
export const STATUS_ONLY_TYPES = { "email.failed": "failed", "email.suppressed": "suppressed" } as const;

export const INBOUND_TYPE = "email.received";

/** What the settings page lists to select in Resend's dashboard. */
export const RESEND_EVENT_TYPES = [
  ...Object.keys(EMAIL_EVENT_TYPES),
  ...Object.keys(STATUS_ONLY_TYPES),
  INBOUND_TYPE,
] as const;
