import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeTwilioRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The form body as Twilio reads it. */
  params: Record<string, string>;
}

const MESSAGES = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/;
const TO = /^(whatsapp:)?\+[1-9]\d{6,14}$/;

/**
 * A local stand-in for api.twilio.com's Messages resource: node:http on a free loopback port. It checks what
 * Twilio checks (HTTP basic auth of a known account matching the URL's Account SID, a valid `To`, a sender, a
 * body) and answers Twilio's own shapes: 201 with the message resource, or Twilio's error envelope
 * `{code, message, more_info, status}`. `state.fail` forces an error, `state.html500` an HTML 500 page,
 * `state.hang` no answer at all; `state.beforeAnswer` runs once the sid is chosen, before the 201 is sent
 * (a status callback that overtakes the answer).
 */
export async function startFakeTwilio(accounts: Record<string, string>) {
  const requests: FakeTwilioRequest[] = [];
  const state = {
    fail: null as null | { status: number; code: number; message: string },
    html500: false,
    hang: false,
    beforeAnswer: null as null | ((sid: string, params: Record<string, string>) => Promise<void>),
  };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", async () => {
      const params = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, params });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", "twilio-request-id": "RQfake" });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: number, message: string) =>
        send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
      if (state.hang) return;
      if (state.html500) {
        res.writeHead(500, { "content-type": "text/html" });
        return res.end("<html><body><h1>500 Internal Server Error</h1></body></html>");
      }
      const [user, password] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
        .toString()
        .split(":");
      const account = MESSAGES.exec(req.url ?? "")?.[1];
      if (req.method !== "POST" || !account)
        return error(404, 20404, `The requested resource ${req.url} was not found`);
      if (!user || accounts[user] !== password || user !== account) return error(401, 20003, "Authenticate");
      if (state.fail) return error(state.fail.status, state.fail.code, state.fail.message);
      if (!TO.test(params.To ?? ""))
        return error(400, 21211, `The 'To' number ${params.To} is not a valid phone number.`);
      if (!params.From && !params.MessagingServiceSid) return error(400, 21603, "A 'From' phone number is required.");
      if (!params.Body) return error(400, 21602, "Message body is required.");
      const sid = `SM${randomBytes(16).toString("hex")}`;
      if (state.beforeAnswer) await state.beforeAnswer(sid, params);
      const now = new Date().toUTCString().replace("GMT", "+0000");
      send(201, {
        account_sid: account,
        api_version: "2010-04-01",
        body: params.Body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        from: params.From ?? null,
        messaging_service_sid: params.MessagingServiceSid ?? null,
        num_media: "0",
        num_segments: String(Math.ceil(params.Body.length / 153)),
        price: null,
        price_unit: "USD",
        sid,
        status: params.MessagingServiceSid ? "accepted" : "queued",
        subresource_uris: { media: `/2010-04-01/Accounts/${account}/Messages/${sid}/Media.json` },
        to: params.To,
        uri: `/2010-04-01/Accounts/${account}/Messages/${sid}.json`,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
