import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeStripeRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** The form body as Stripe reads it, bracket keys kept flat: `line_items[0][price_data][unit_amount]`. */
  params: Record<string, string>;
}

/**
 * A local stand-in for api.stripe.com (stripe-mock is not installable here, INTEGRATIONS.md 1.7): node:http
 * on a free loopback port. POST /v1/checkout/sessions answers a session made of the fields it received, as
 * Stripe does; `fail` makes it answer Stripe's error envelope instead.
 */
export async function startFakeStripe() {
  const requests: FakeStripeRequest[] = [];
  const state = {
    fail: null as null | { status: number; type: string; message: string; code?: string },
    /** Accept the request and never answer (a provider timeout). */
    hang: false,
  };
  let n = 0;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(raw));
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, params });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "request-id": `req_fake_${n}` });
        res.end(JSON.stringify(body));
      };
      if (state.hang) return;
      if (state.fail) {
        const { status, ...error } = state.fail;
        return send(status, { error });
      }
      if (req.method !== "POST" || req.url !== "/v1/checkout/sessions")
        return send(404, {
          error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${req.url}).` },
        });
      n++;
      const id = `cs_test_fake${n}`;
      const metadata = Object.fromEntries(
        Object.entries(params).flatMap(([k, v]) =>
          /^metadata\[(.+)\]$/.exec(k)?.[1] ? [[/^metadata\[(.+)\]$/.exec(k)?.[1], v]] : [],
        ),
      );
      send(200, {
        id,
        object: "checkout.session",
        mode: params.mode,
        status: "open",
        payment_status: "unpaid",
        client_reference_id: params.client_reference_id ?? null,
        metadata,
        currency: params["line_items[0][price_data][currency]"],
        amount_total: Number(params["line_items[0][price_data][unit_amount]"]),
        success_url: params.success_url,
        cancel_url: params.cancel_url,
        url: `https://checkout.stripe.com/c/pay/${id}`,
        livemode: false,
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
