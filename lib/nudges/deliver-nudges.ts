import type { CreateEmailOptions } from "resend";
import { Webhook } from "standardwebhooks";
import { appUrl, env } from "../config/env.ts";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { AppError } from "../errors.ts";
import { resendAccount, resendClient, resendLimits } from "../integrations/resend/client.ts";
import { buttonEmail, sendMail } from "../mail/send-mail.ts";
import { postJson } from "../net/post-json.ts";
import { PrivateDestinationError } from "../net/public-destination.ts";
import { personLabels } from "../reports/person-labels.ts";
import { webhookSecretOf } from "./nudge-settings.ts";
import { RULE_LABELS, type Rule } from "./rules.ts";

/** Webhook attempts before a nudge's delivery is given up (shown in Settings → Nudges). */
export const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;
/** While an attempt is in flight its row is leased for this long, so the job and the hook never both send it. */
const LEASE_MS = 60_000;

/** Backoff after the n-th failed attempt: 1, 2, 4 … minutes, capped at 2 hours, with ±20% jitter. */
export function retryDelayMs(attempt: number, random = Math.random()): number {
  const base = Math.min(60_000 * 2 ** (attempt - 1), 2 * 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

type Claimed = {
  id: string;
  workspaceId: string;
  profileId: string;
  kind: Rule;
  eventId: string | null;
  occurredAt: Date;
  createdAt: Date;
  webhookAttempts: number;
  channel: "webhook" | "email";
};

/** Right after the hook fired nudges: their deliveries, in the background (the job retries what this misses). */
export function deliverNudgesSoon(db: Db, ids: string[]) {
  void deliverNudges(db, new Date(), { ids }).catch((error) =>
    console.error("OneThread: delivering nudges failed; the nudges job retries", error),
  );
}

/**
 * Delivers due nudges: the webhook (Standard Webhooks: `webhook-id` = the nudge's id, `webhook-timestamp`,
 * `webhook-signature` v1 HMAC-SHA256 with the workspace's secret; retried with backoff on a network error,
 * 408, 429 and 5xx, given up on any other answer or after MAX_ATTEMPTS) and the email to the owners (through
 * the workspace's Resend if connected, else the app's mail; at most once). Rows are claimed with SKIP LOCKED
 * and a lease, so two instances and the hook never deliver one nudge twice at once; the receiver deduplicates
 * retries by `webhook-id`.
 */
export async function deliverNudges(
  db: Db,
  now: Date,
  opts: { ids?: string[]; limit?: number } = {},
): Promise<{ delivered: number; retried: number; failed: number; emailed: number }> {
  const limit = opts.limit ?? 100;
  const sql = sqlOf(db);
  const only = opts.ids ? `AND id = ANY($4::uuid[])` : "";
  const params: unknown[] = [now, new Date(now.getTime() + LEASE_MS), limit];
  if (opts.ids) params.push(opts.ids);
  const hooks = await sql.$queryRawUnsafe<Claimed[]>(
    `UPDATE "Nudge" n SET "webhookNextAt" = $2 FROM (
       SELECT id FROM "Nudge" WHERE "webhookState" = 'pending' AND "webhookNextAt" <= $1 ${only}
       ORDER BY "webhookNextAt" LIMIT $3 FOR UPDATE SKIP LOCKED) d
     WHERE n.id = d.id
     RETURNING n.id, n."workspaceId", n."profileId", n.kind, n."eventId", n."occurredAt", n."createdAt", n."webhookAttempts", 'webhook' AS channel`,
    ...params,
  );
  // At most once: the row says "sent" before the mail goes.
  const mails = await sql.$queryRawUnsafe<Claimed[]>(
    `UPDATE "Nudge" n SET "emailState" = 'sent' FROM (
       SELECT id FROM "Nudge" WHERE "emailState" = 'pending' ${only.replace("$4", "$2")}
       ORDER BY "createdAt" LIMIT $1 FOR UPDATE SKIP LOCKED) d
     WHERE n.id = d.id
     RETURNING n.id, n."workspaceId", n."profileId", n.kind, n."eventId", n."occurredAt", n."createdAt", n."webhookAttempts", 'email' AS channel`,
    limit,
    ...(opts.ids ? [opts.ids] : []),
  );
  const out = { delivered: 0, retried: 0, failed: 0, emailed: 0 };
  if (!hooks.length && !mails.length) return out;
  const all = [...hooks, ...mails];
  const workspaces = new Map<string, { id: string; slug: string; name: string; webhookUrl: string | null }>();
  for (const wid of new Set(all.map((n) => n.workspaceId))) {
    const ws = await db.workspace.findUnique({ where: { id: wid }, select: { id: true, slug: true, name: true } });
    const settings = await db.nudgeSettings.findUnique({ where: { workspaceId: wid }, select: { webhookUrl: true } });
    if (ws) workspaces.set(wid, { ...ws, webhookUrl: settings?.webhookUrl ?? null });
  }
  const labels = new Map<string, Awaited<ReturnType<typeof personLabels>>>();
  for (const wid of workspaces.keys())
    labels.set(
      wid,
      await personLabels(
        sql,
        wid,
        all.filter((n) => n.workspaceId === wid).map((n) => n.profileId),
      ),
    );
  const payloadFor = (n: Claimed) => {
    const ws = workspaces.get(n.workspaceId);
    const label = labels.get(n.workspaceId)?.get(n.profileId);
    return ws && label ? payloadOf(n, ws, label) : null;
  };

  for (const n of hooks) {
    const ws = workspaces.get(n.workspaceId);
    const payload = payloadFor(n);
    const secret = ws?.webhookUrl ? await webhookSecretOf(db, n.workspaceId) : null;
    if (!ws?.webhookUrl || !secret || !payload) {
      await finish(db, n.id, "failed", n.webhookAttempts, "no webhook URL any more");
      out.failed++;
      continue;
    }
    const outcome = await post(ws.webhookUrl, secret, n.id, payload);
    const attempts = n.webhookAttempts + 1;
    if (outcome.ok) {
      await db.nudge.updateMany({
        where: { id: n.id },
        data: {
          webhookState: "delivered",
          webhookAttempts: attempts,
          deliveredAt: new Date(),
          webhookNextAt: null,
          webhookError: null,
        },
      });
      out.delivered++;
    } else if (outcome.retry && attempts < MAX_ATTEMPTS) {
      await db.nudge.updateMany({
        where: { id: n.id },
        data: {
          webhookAttempts: attempts,
          webhookError: outcome.error,
          webhookNextAt: new Date(now.getTime() + retryDelayMs(attempts)),
        },
      });
      out.retried++;
    } else {
      await finish(db, n.id, "failed", attempts - 1, outcome.error);
      out.failed++;
    }
  }

  for (const n of mails) {
    const ws = workspaces.get(n.workspaceId);
    const payload = payloadFor(n);
    if (!ws || !payload) continue;
    try {
      await mailOwners(db, ws, payload);
      out.emailed++;
    } catch (error) {
      await db.nudge.updateMany({ where: { id: n.id }, data: { emailState: "failed" } });
      console.error("OneThread: a nudge email to the owners failed", (error as Error).message);
    }
  }
  return out;
}

async function finish(db: Db, id: string, state: "failed", attempts: number, error: string) {
  await db.nudge.updateMany({
    where: { id },
    data: {
      webhookState: state,
      webhookAttempts: attempts + 1,
      webhookNextAt: null,
      webhookError: error.slice(0, 500),
    },
  });
}

export interface NudgePayload {
  type: "nudge.created";
  timestamp: string;
  data: {
    id: string;
    rule: Rule;
    title: string;
    action: string;
    occurredAt: string;
    createdAt: string;
    eventId: string | null;
    workspace: { id: string; slug: string; name: string };
    person: { id: string; name: string; rung: number; url: string };
  };
}

function payloadOf(
  n: Claimed,
  ws: { id: string; slug: string; name: string },
  person: { name: string; rung: number },
): NudgePayload {
  const label = RULE_LABELS[n.kind];
  return {
    type: "nudge.created",
    timestamp: new Date().toISOString(),
    data: {
      id: n.id,
      rule: n.kind,
      title: label.title,
      action: label.action,
      occurredAt: n.occurredAt.toISOString(),
      createdAt: n.createdAt.toISOString(),
      eventId: n.eventId,
      workspace: { id: ws.id, slug: ws.slug, name: ws.name },
      person: {
        id: n.profileId,
        name: person.name,
        rung: person.rung,
        url: `${appUrl()}/app/${ws.slug}/people/${n.profileId}`,
      },
    },
  };
}

async function post(
  url: string,
  secret: string,
  id: string,
  payload: NudgePayload,
): Promise<{ ok: true } | { ok: false; retry: boolean; error: string }> {
  const body = JSON.stringify(payload);
  const at = new Date();
  const signature = new Webhook(secret).sign(id, at, body);
  try {
    const status = await postJson(
      url,
      {
        "content-type": "application/json",
        "user-agent": "OneThread-Nudges/1",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
      // The URL is the owner's: in production it may not reach this host or any private network (SSRF);
      // tests and development deliver to a receiver on localhost.
      { timeoutMs: TIMEOUT_MS, publicOnly: env().NODE_ENV === "production" },
    );
    if (status >= 200 && status < 300) return { ok: true };
    const retry = status === 408 || status === 429 || status >= 500;
    return { ok: false, retry, error: `the receiver answered ${status}` };
  } catch (error) {
    const e = error as Error;
    return {
      ok: false,
      // A private destination stays private: retrying would only knock on it again.
      retry: !(e instanceof PrivateDestinationError),
      error: e.name === "TimeoutError" ? "no answer within 10 s" : `not reached: ${e.message}`,
    };
  }
}

async function mailOwners(db: Db, ws: { id: string; name: string }, p: NudgePayload) {
  const owners = await db.membership.findMany({
    where: { workspaceId: ws.id, role: "owner" },
    select: { user: { select: { email: true } } },
  });
  const subject = `${p.data.title}: ${p.data.person.name}`;
  const { html, text } = buttonEmail({
    heading: subject,
    body: `${RULE_LABELS[p.data.rule].description} ${p.data.action}.`,
    action: "Open their timeline",
    url: p.data.person.url,
    footer: `You get this because nudges by email are on for ${ws.name} (Settings → Nudges).`,
  });
  const account = await resendAccount(db, ws.id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "integration_missing") return null;
    throw error;
  });
  for (const o of owners) {
    const to = o.user.email;
    if (!to) continue;
    if (!account) {
      await sendMail(db, { to, subject, html, text, workspaceId: ws.id });
      continue;
    }
    const { error } = await resendClient(account.apiKey).emails.send(
      { from: account.from, to: [to], subject, html, text } satisfies CreateEmailOptions,
      { signal: AbortSignal.timeout(resendLimits.timeoutMs) },
    );
    if (error) throw new Error(`Resend refused the nudge email: ${error.message}`);
  }
}
