import type { DemoEvent } from "./demo-events.ts";

/**
 * Conversations for the demo's inbox, relative to `now`: people waiting for an answer on WhatsApp, on the
 * phone (a missed call and a voicemail) and by email, and a thread answered across SMS and WhatsApp with
 * delivery statuses — next to Jo Rivera's journey, whose WhatsApp question the booking agent answered.
 */
export function conversationEvents(now: Date): DemoEvent[] {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const H = 60;
  const D = 24 * H;
  const priya = { email: "priya.shah@example.com", phone: "+18055552001" };
  const marcus = { phone: "+18055552002" };
  const elena = { email: "elena.park@example.com" };
  const tom = { email: "tom.okafor@example.com", phone: "+18055552004" };
  return [
    // Priya: a quote form, then a WhatsApp question two hours ago that nobody has answered.
    {
      id: "conv_priya_1",
      source: "web",
      type: "form_submit",
      occurredAt: at(D + 3 * H),
      identity: { deviceId: "d_conv_priya", ...priya },
      properties: { form: "quote", url: "https://acmemovers.test/quote/", name: "Priya Shah" },
      campaign: { utm_source: "google", utm_medium: "cpc", utm_campaign: "movers-ventura" },
    },
    {
      id: "conv_priya_2",
      source: "email",
      type: "email_sent",
      occurredAt: at(D + 3 * H - 2),
      identity: { email: priya.email },
      channel: "email",
      properties: {
        kind: "quote",
        subject: "Your moving quote: 2-bedroom, Ventura → Oxnard",
        text: "Hi Priya,\n\nThanks for your request. A 2-bedroom move from Ventura to Oxnard with 3 movers comes to $1,180, packing included. Reply to this email or message us on WhatsApp to book.\n\nAcme Movers",
      },
    },
    {
      id: "conv_priya_3",
      source: "email",
      type: "email_opened",
      occurredAt: at(D + 2 * H),
      identity: { email: priya.email },
      channel: "email",
      properties: { kind: "quote" },
    },
    {
      id: "conv_priya_4",
      source: "channel",
      type: "message_in",
      occurredAt: at(2 * H),
      identity: { phone: priya.phone },
      channel: "whatsapp",
      direction: "in",
      properties: {
        body: "Hi! I got the quote, thanks. We also have an upright piano on the first floor — can you move that too, and would it change the price? We'd like Saturday the 14th if it's still free.",
      },
    },
    // Marcus: called yesterday evening, nobody picked up, left a voicemail.
    {
      id: "conv_marcus_1",
      source: "channel",
      type: "call_missed",
      occurredAt: at(18 * H),
      identity: marcus,
      channel: "voice",
      direction: "in",
      properties: { provider: "twilio", status: "no-answer", name: "Marcus Webb" },
    },
    {
      id: "conv_marcus_2",
      source: "channel",
      type: "voicemail",
      occurredAt: at(18 * H - 1),
      identity: marcus,
      channel: "voice",
      direction: "in",
      properties: { provider: "twilio", durationSeconds: 38, recordingUrl: "https://api.twilio.com/demo/RE0001" },
    },
    // Elena: replied to the quote by email this morning.
    {
      id: "conv_elena_1",
      source: "email",
      type: "email_sent",
      occurredAt: at(2 * D),
      identity: elena,
      channel: "email",
      properties: {
        kind: "quote",
        subject: "Your moving quote: studio, Camarillo",
        text: "Hi Elena, a studio move in Camarillo with 2 movers is $540. We have Thursday the 12th or Friday the 13th free.",
        name: "Elena Park",
      },
    },
    {
      id: "conv_elena_2",
      source: "email",
      type: "email_delivered",
      occurredAt: at(2 * D - 1),
      identity: elena,
      channel: "email",
      properties: { kind: "quote" },
    },
    {
      id: "conv_elena_3",
      source: "email",
      type: "email_replied",
      occurredAt: at(5 * H),
      identity: elena,
      channel: "email",
      properties: {
        subject: "Re: Your moving quote: studio, Camarillo",
        text: "Thanks! Friday the 13th works. Do I need to reserve the elevator at my building, or do you handle that?",
      },
    },
    // Tom: asked by SMS, answered, moved to WhatsApp, answered and read.
    {
      id: "conv_tom_1",
      source: "web",
      type: "form_submit",
      occurredAt: at(3 * D),
      identity: { deviceId: "d_conv_tom", ...tom },
      properties: { form: "contact", url: "https://acmemovers.test/contact/", firstName: "Tom", lastName: "Okafor" },
    },
    {
      id: "conv_tom_2",
      source: "channel",
      type: "message_in",
      occurredAt: at(3 * D - 30),
      identity: { phone: tom.phone },
      channel: "sms",
      direction: "in",
      properties: { body: "Do you sell boxes, or only rent crates?" },
    },
    {
      id: "conv_tom_3",
      source: "channel",
      type: "message_out",
      occurredAt: at(3 * D - 33),
      identity: { phone: tom.phone },
      channel: "sms",
      direction: "out",
      properties: {
        body: "Both! Boxes are $3 each, crates $2/day. Want us to drop some off?",
        agent: "faq",
        status: "delivered",
      },
    },
    {
      id: "conv_tom_4",
      source: "channel",
      type: "message_in",
      occurredAt: at(D + 5 * H),
      identity: { phone: tom.phone },
      channel: "whatsapp",
      direction: "in",
      properties: { body: "Yes please, 20 boxes on Wednesday morning." },
    },
    {
      id: "conv_tom_5",
      source: "channel",
      type: "message_out",
      occurredAt: at(D + 4 * H),
      identity: { phone: tom.phone },
      channel: "whatsapp",
      direction: "out",
      properties: { body: "Done: 20 boxes Wednesday between 9 and 11. See you then!", status: "read" },
    },
  ];
}
