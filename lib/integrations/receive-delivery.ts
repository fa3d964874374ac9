import { ZodError } from "zod";
import { encrypt } from "../crypto/keys.ts";
import { sha256Hex } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { AppError, zodDetails } from "../errors.ts";
import { prepareIdentity } from "../identity/prepare-identity.ts";
import { ingestCoalesced } from "../ingest/ingest-coalesced.ts";
import { validateEvents } from "../ingest/ingest-events.ts";
import { identityContext, loadWorkspaceForIngest } from "../ingest/load-workspace.ts";
import type { IngestEvent } from "../ingest/schemas.ts";
import { processShared } from "../process-shared.ts";
import { anchorToProfile } from "./anchor-profile.ts";
import type { IntegrationName } from "./providers.ts";
import { finishReceipt, keepReceipt, type ReceiptKey, type ReceiptOutcome, reopenReceipt } from "./receipts.ts";
import type { MappedDelivery, Verified } from "./types.ts";

/** Headers never kept with a delivery: credentials and signatures. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "x-onethread-signature",
  "webhook-signature",
  "x-cal-signature-256",
  "stripe-signature",
  "x-twilio-signature",
  "svix-signature",
  "calendly-webhook-signature",
]);

function keptHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) {
    if (SECRET_HEADERS.has(k) || Object.keys(out).length >= 50) continue;
    out[k] = v.slice(0, 1000);
  }
  return out;
}

function parse(
  raw: string,
  parseBody?: (raw: string) => unknown,
): { ok: true; body: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, body: parseBody ? parseBody(raw) : JSON.parse(raw) };
  } catch (error) {
    if (parseBody) return { ok: false, error: `The body cannot be read: ${(error as Error).message}` };
    return { ok: false, error: `The body is not valid JSON: ${(error as Error).message}` };
  }
}

/** Events with what their sender wrote put back after validation (MappedDelivery.content). */
function withContent(events: IngestEvent[], content: MappedDelivery["content"]): IngestEvent[] {
  if (!content) return events;
  return events.map((e) => {
    const extra = e.id ? content[e.id] : undefined;
    return extra ? { ...e, properties: { ...(e.properties ?? {}), ...extra } } : e;
  });
}

export interface DeliveryAnswer {
  accepted: number;
  duplicate?: true;
  test?: true;
}

/**
 * After the signature checked out (STYLE.md 7): record → dispatch. The delivery is kept first in a receipt
 * unique on (workspace, integration, delivery id): its raw body sealed, its headers without secrets. A
 * delivery already processed (or ignored) answers 200 and does nothing again; a failed one is processed
 * again by its retry. Events get ids derived from the delivery, so even a retry racing the first attempt
 * stores nothing twice. A body we cannot use is a 400 (a retry would not help); a failure while storing is
 * a 500, so the provider retries.
 */
export async function receiveDelivery(
  db: Db,
  workspaceId: string,
  integration: IntegrationName,
  verified: Verified,
  req: Request,
  raw: string,
): Promise<DeliveryAnswer> {
  const parsed = parse(raw, integration.module.parseBody);
  const externalId = (
    verified.deliveryId ??
    (parsed.ok ? integration.module.bodyDeliveryId(parsed.body) : null) ??
    `sha256:${sha256Hex(raw)}`
  ).slice(0, 300);
  // The same delivery already being processed by this process (a replay racing its original): its outcome is
  // this one's; only if it fails does this copy go on, as a retry would.
  const flight = `${workspaceId}\u0000${integration.key}\u0000${externalId}`;
  const running = inFlight.get(flight);
  const done = running ? await running.then(...SETTLED) : false;
  if (done) return { accepted: 0, duplicate: true };
  const work = keepAndProcess(
    db,
    { workspaceId, provider: integration.key, externalId },
    integration,
    verified,
    req,
    raw,
    parsed,
  );
  if (!inFlight.has(flight)) {
    inFlight.set(flight, work);
    work
      .finally(() => {
        if (inFlight.get(flight) === work) inFlight.delete(flight);
      })
      .catch(() => {});
  }
  return work;
}

/**
 * Deliveries being processed in this process, by workspace, integration and delivery id: one map whichever
 * copy of this module serves them (scripts/serve.ts answers Twilio's beside Next).
 */
const inFlight = processShared("webhook-deliveries-in-flight", () => new Map<string, Promise<DeliveryAnswer>>());
const SETTLED = [() => true, () => false] as const;

async function keepAndProcess(
  db: Db,
  key: ReceiptKey,
  integration: IntegrationName,
  verified: Verified,
  req: Request,
  raw: string,
  parsed: ReturnType<typeof parse>,
): Promise<DeliveryAnswer> {
  const { workspaceId, externalId } = key;
  const kept = await keepReceipt(db, {
    ...key,
    scheme: verified.scheme,
    bodyEnc: encrypt(raw),
    headers: keptHeaders(req.headers),
  });
  if (!kept.inserted) {
    if (kept.before === "processed" || kept.before === "ignored") return { accepted: 0, duplicate: true };
    await reopenReceipt(db, key);
  }
  const finish = (done: ReceiptOutcome) => finishReceipt(db, key, done);

  let mapped: MappedDelivery;
  let events: IngestEvent[];
  try {
    if (!parsed.ok)
      throw new AppError(integration.module.parseBody ? "invalid_request" : "invalid_json", 400, parsed.error);
    mapped = await integration.module.map(
      parsed.body,
      `wh_${sha256Hex(`${integration.key}:${externalId}`).slice(0, 32)}`,
      {
        db,
        workspaceId,
      },
    );
    if (mapped.profileRef) {
      const anchored = await anchorToProfile(db, workspaceId, mapped.profileRef, mapped.events);
      mapped = anchored.length
        ? { ...mapped, events: anchored }
        : { ...mapped, events: [], ignored: true, summary: `${mapped.summary} (no identifier to attach it to)` };
    }
    events = mapped.events.length ? withContent(validateEvents(mapped.events), mapped.content) : [];
  } catch (error) {
    const message =
      error instanceof ZodError
        ? zodDetails(error)
            .map((d) => `${d.path}: ${d.message}`)
            .join("; ")
        : error instanceof AppError
          ? error.message
          : String(error);
    await finish({ outcome: "failed", error: message.slice(0, 1000) });
    throw error;
  }
  let identityHashes: string[] = [];
  try {
    const ws = await loadWorkspaceForIngest(db, workspaceId);
    const ctx = identityContext(ws);
    const identifiers = events.flatMap((e) => prepareIdentity(e.identity, ctx).identifiers);
    identityHashes = [...new Set(identifiers.map((i) => i.key))];
    if (mapped.ignored) {
      await finish({ outcome: "ignored", summary: mapped.summary, eventCount: events.length, identityHashes });
      return { accepted: 0, ...(mapped.test ? { test: true as const } : {}) };
    }
    const results = events.length ? await ingestCoalesced(db, ws, events) : [];
    const effect = mapped.apply ? await mapped.apply(db, { workspaceId, identifiers }) : {};
    await finish({
      outcome: effect.ignored ? "ignored" : "processed",
      summary: effect.summary ?? mapped.summary,
      eventCount: events.length,
      identityHashes,
    });
    return { accepted: results.filter((r) => !r.duplicate).length };
  } catch (error) {
    console.warn(`Webhook ${integration.key} delivery ${externalId} failed:`, error);
    await finish({
      outcome: "failed",
      summary: mapped.summary,
      identityHashes,
      error: "Storing the events failed; a retry of the delivery will complete it.",
    }).catch(() => {});
    throw new AppError(
      "internal_error",
      500,
      "The delivery is kept but could not be processed; retry it (providers do so on a 5xx).",
    );
  }
}
