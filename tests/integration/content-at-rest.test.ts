import { expect, test } from "vitest";
import { POST as collect } from "../../app/api/collect/route.ts";
import { POST as events } from "../../app/api/v1/events/route.ts";
import { GET as exportGet } from "../../app/api/v1/profiles/[id]/export/route.ts";
import { GET as timelineGet } from "../../app/api/v1/profiles/[id]/timeline/route.ts";
import { GET as lookup } from "../../app/api/v1/profiles/route.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

// P13 (security review item 6): what a person writes — an email's text and subject, a form's free-text fields,
// a page title holding their address — never sits readable in an Event row.
const EMAIL_TEXT = "Can you move my grand piano on Saturday? The stairs are narrow.";
const EMAIL_SUBJECT = "Piano move from Elm Street";
const FORM_EMAIL = "jo.rivera@mail.test";
const FORM_PHONE = "+1 805 555 0199";
const TITLE_EMAIL = "jo.r@inbox.test";

/** Every text column and the properties/campaign JSON of the workspace's events, as one string. */
async function rawEvents(workspaceId: string) {
  const rows = await db.$queryRawUnsafe<{ row: string }[]>(
    `SELECT row_to_json(e)::text AS row FROM "Event" e WHERE e."workspaceId" = $1::uuid`,
    workspaceId,
  );
  return rows.map((r) => r.row).join("\n");
}

test("P13: email text, form free text and page titles are not stored readable; the owner still reads the email", async () => {
  const w = await testWorkspace(db);
  const sent = await call(events, "/api/v1/events", {
    key: w.apiKey,
    body: {
      events: [
        {
          id: "em1",
          source: "email",
          type: "email_replied",
          occurredAt: "2026-11-05T09:00:00Z",
          identity: { email: "jo@example.com" },
          channel: "email",
          direction: "in",
          properties: { subject: EMAIL_SUBJECT, text: EMAIL_TEXT, messageId: "re_123" },
        },
      ],
    },
  });
  expect(sent.status).toBe(200);
  const profileId = sent.json.results[0].profileId as string;
  expect(profileId).toBeTruthy();

  const tracked = await call(collect, "/api/collect", {
    raw: JSON.stringify({
      site: w.siteKey,
      deviceId: "d_content_1",
      events: [
        {
          id: "pv1",
          type: "page_view",
          ts: Date.parse("2026-11-05T09:10:00Z"),
          url: "https://acme.test/thanks/",
          title: `Thanks, ${TITLE_EMAIL}!`,
        },
        {
          id: "fs1",
          type: "form_submit",
          ts: Date.parse("2026-11-05T09:11:00Z"),
          url: "https://acme.test/contact/",
          props: {
            form: "contact",
            email: "jo@example.com",
            message: `Write to ${FORM_EMAIL} or call ${FORM_PHONE} after 5`,
            details: { notes: ["Landline 805-555-0177"] },
          },
        },
      ],
    }),
    headers: { "content-type": "text/plain" },
  });
  expect(tracked.status).toBe(202);

  const raw = await rawEvents(w.workspaceId);
  expect(raw).toContain('"clientId":"em1"');
  expect(raw).toContain('"clientId":"fs1"');
  for (const secret of [
    EMAIL_TEXT,
    "grand piano",
    EMAIL_SUBJECT,
    "Elm Street",
    "jo@example.com",
    FORM_EMAIL,
    TITLE_EMAIL,
    FORM_PHONE,
    "555 0199",
    "555-0177",
  ]) {
    expect(raw, secret).not.toContain(secret);
  }
  // The free text itself stays, with the contact details taken out (as URLs are, P6).
  expect(raw).toContain("Write to [email] or call [phone] after 5");
  expect(raw).toContain("Landline [phone]");
  expect(raw).toContain("Thanks, [email]!");
  expect(raw).toMatch(/"form": ?"contact"/);

  // The email's text lives sealed on a Message of the person's email thread.
  const messages = await db.message.findMany({
    where: { workspaceId: w.workspaceId },
    include: { conversation: true },
  });
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ profileId, direction: "in", conversation: { channel: "email" } });
  expect(messages[0]?.bodyEnc).toMatch(/^v1\.[0-9a-f]{8}\./);
  expect(JSON.stringify(messages)).not.toContain("piano");

  // The owner's timeline shows it decrypted, with the subject back in the summary.
  const timeline = await call(timelineGet, `/api/v1/profiles/${profileId}/timeline`, {
    key: w.apiKey,
    params: { id: profileId },
  });
  expect(timeline.status).toBe(200);
  const email = timeline.json.events.find((e: { id: string }) => e.id === "em1");
  expect(email).toMatchObject({
    source: "email",
    type: "email_replied",
    summary: `Email replied: ${EMAIL_SUBJECT}`,
    properties: { text: EMAIL_TEXT, subject: EMAIL_SUBJECT, messageId: "re_123" },
  });
  const form = timeline.json.events.find((e: { id: string }) => e.id === "fs1");
  expect(form?.properties.message).toBe("Write to [email] or call [phone] after 5");

  // Email is a channel of conversation: the reply is in the thread the chatbot reads.
  const found = await call(lookup, "/api/v1/profiles?email=jo%40example.com", { key: w.apiKey });
  expect(found.json.thread).toEqual([expect.objectContaining({ channel: "email", direction: "in", body: EMAIL_TEXT })]);

  // So does the person's export (P10), as JSON and CSV.
  const exported = await call(exportGet, "/x", { key: w.apiKey, params: { id: profileId } });
  expect(exported.status).toBe(200);
  expect(exported.json.events.find((e: { id: string }) => e.id === "em1")).toMatchObject({
    summary: `Email replied: ${EMAIL_SUBJECT}`,
    properties: { text: EMAIL_TEXT, subject: EMAIL_SUBJECT },
  });
  expect(exported.json.messages).toEqual([expect.objectContaining({ channel: "email", body: EMAIL_TEXT })]);
  const csv = await call(exportGet, "/x?format=csv", { key: w.apiKey, params: { id: profileId } });
  expect(csv.text).toContain(EMAIL_TEXT);
  expect(csv.text).toContain(EMAIL_SUBJECT);
});
