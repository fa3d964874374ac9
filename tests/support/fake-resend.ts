import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeResendRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  // biome-ignore lint/suspicious/noExplicitAny: the JSON body as sent
  body: any;
}

/** An inbound email as `GET /emails/receiving/{id}` answers it (INTEGRATIONS.md 3.4, resend@6.38.0's types). */
export interface ReceivedMail {
  from: string;
  to?: string[];
  subject: string;
  text?: string | null;
  html?: string | null;
}

/**
 * A local stand-in for api.resend.com (node:http on a free loopback port), speaking its wire format as the SDK
 * does (INTEGRATIONS.md 3.1): `POST /emails` answers `{"id"}` and keeps an Idempotency-Key's first answer (the
 * same key with another body is Resend's 409), `GET /emails/receiving/{id}` answers a received email put in
 * `received`. `fail` answers Resend's error envelope instead; `failReceiving` fails that many fetches first;
 * `hang` accepts and never answers; `delayMs` does the work and answers late.
 */
export async function startFakeResend() {
  const requests: FakeResendRequest[] = [];
  const received = new Map<string, ReceivedMail>();
  const idempotent = new Map<string, { body: string; id: string }>();
  const state = {
    fail: null as null | { statusCode: number; name: string; message: string },
    failReceiving: 0,
    hang: false,
    /** Handle the request, but answer only after this many ms (a send that went out while the caller gave up). */
    delayMs: 0,
  };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {}
      const path = req.url ?? "";
      requests.push({ method: req.method ?? "", path, headers: req.headers, body });
      const send = (status: number, answer: unknown) => {
        const answerNow = () => {
          if (res.destroyed) return;
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(answer));
        };
        if (state.delayMs) setTimeout(answerNow, state.delayMs);
        else answerNow();
      };
      if (state.hang) return;
      if (!req.headers.authorization?.startsWith("Bearer re_"))
        return send(401, {
          statusCode: 401,
          name: "missing_api_key",
          message: "Missing API key in the authorization header",
        });
      if (state.fail) return send(state.fail.statusCode, state.fail);
      if (req.method === "POST" && path === "/emails") {
        const key = req.headers["idempotency-key"];
        const scope = typeof key === "string" ? `${req.headers.authorization} ${key}` : null;
        const earlier = scope ? idempotent.get(scope) : undefined;
        if (earlier && earlier.body !== raw)
          return send(409, {
            statusCode: 409,
            name: "invalid_idempotent_request",
            message: "Same idempotency key used with a different request payload.",
          });
        const id = earlier?.id ?? randomUUID();
        if (scope) idempotent.set(scope, { body: raw, id });
        return send(200, { id });
      }
      const receiving = /^\/emails\/receiving\/([^/?]+)(?:\?.*)?$/.exec(path);
      if (req.method === "GET" && receiving?.[1]) {
        if (state.failReceiving > 0) {
          state.failReceiving--;
          return send(500, {
            statusCode: 500,
            name: "application_error",
            message: "Something went wrong on our side.",
          });
        }
        const mail = received.get(receiving[1]);
        if (!mail) return send(404, { statusCode: 404, name: "not_found", message: "Email not found" });
        return send(200, {
          object: "email",
          id: receiving[1],
          to: mail.to ?? ["hello@inbound.acme.test"],
          from: mail.from,
          created_at: new Date().toISOString(),
          subject: mail.subject,
          bcc: null,
          cc: null,
          reply_to: null,
          received_for: mail.to ?? ["hello@inbound.acme.test"],
          html: mail.html ?? null,
          text: mail.text ?? null,
          headers: {},
          message_id: `<${receiving[1]}@mail.example.test>`,
          attachments: [],
        });
      }
      send(404, { statusCode: 404, name: "not_found", message: `Unrecognized request (${req.method} ${path}).` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    received,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
