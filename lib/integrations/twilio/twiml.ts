/** TwiML that answers nothing (INTEGRATIONS.md 2.5): no reply to the message, no instruction for the call. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
