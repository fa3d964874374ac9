import { randomBytes } from "node:crypto";
import { z } from "zod";
import { env } from "../config/env.ts";
import { decryptOrNull, encrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { badRequest } from "../errors.ts";
import { reservedLiteralOf } from "../net/public-destination.ts";
import { processShared } from "../process-shared.ts";
import { normalizePath, RULES, type Rule } from "./rules.ts";

/** Settings → Nudges as the owner app reads it: which rules are on, the pricing path, where nudges go. */
export interface NudgeSettingsView {
  rules: Record<Rule, { enabled: boolean; since: string | null }>;
  pricingPath: string;
  webhookUrl: string | null;
  /** Whether a signing secret exists (it is shown once, when made). */
  hasWebhookSecret: boolean;
  emailOwners: boolean;
}

/** What the ingest hook and the job need, without the secret. */
export interface NudgeRules {
  pricingSince: Date | null;
  pricingPath: string;
  quoteSince: Date | null;
  missedCallSince: Date | null;
  webhookUrl: string | null;
  emailOwners: boolean;
}

const webhookUrl = z
  .string()
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .nullable()
  .transform((v, ctx) => {
    if (!v) return null;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an http(s) URL" });
      return z.NEVER;
    }
    const https = url.protocol === "https:";
    // Plain http only off production (a local receiver in development and tests).
    if (!https && !(url.protocol === "http:" && env().NODE_ENV !== "production")) {
      ctx.addIssue({ code: "custom", message: "must be an https URL" });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "must not carry a user name or password" });
      return z.NEVER;
    }
    // Names are checked again on every delivery, on the addresses they resolve to (lib/net/post-json.ts).
    if (env().NODE_ENV === "production" && (reservedLiteralOf(url) || /(^|\.)localhost$/i.test(url.hostname))) {
      ctx.addIssue({ code: "custom", message: "must be a public address, not this server or a private network" });
      return z.NEVER;
    }
    return url.toString();
  });

export const nudgeSettingsInput = z
  .object({
    rules: z
      .object(
        Object.fromEntries(RULES.map((r) => [r, z.boolean("must be true or false")])) as Record<Rule, z.ZodBoolean>,
      )
      .partial()
      .strict(),
    pricingPath: z.string().max(200, "must be at most 200 characters"),
    webhookUrl,
    emailOwners: z.boolean("must be true or false"),
    /** A new signing secret (the old one stops working at once). */
    rotateSecret: z.literal(true),
  })
  .partial()
  .strict();

const SINCE: Record<Rule, "pricingSince" | "quoteSince" | "missedCallSince"> = {
  pricing_return: "pricingSince",
  quote_no_reply: "quoteSince",
  missed_call: "missedCallSince",
};

type Row = {
  pricingSince: Date | null;
  pricingPath: string;
  quoteSince: Date | null;
  missedCallSince: Date | null;
  webhookUrl: string | null;
  webhookSecretEnc: string | null;
  emailOwners: boolean;
};

const OFF: Row = {
  pricingSince: null,
  pricingPath: "/pricing",
  quoteSince: null,
  missedCallSince: null,
  webhookUrl: null,
  webhookSecretEnc: null,
  emailOwners: false,
};

const SELECT = {
  pricingSince: true,
  pricingPath: true,
  quoteSince: true,
  missedCallSince: true,
  webhookUrl: true,
  webhookSecretEnc: true,
  emailOwners: true,
} as const;

function toView(row: Row): NudgeSettingsView {
  return {
    rules: Object.fromEntries(
      RULES.map((r) => [r, { enabled: !!row[SINCE[r]], since: row[SINCE[r]]?.toISOString() ?? null }]),
    ) as NudgeSettingsView["rules"],
    pricingPath: row.pricingPath,
    webhookUrl: row.webhookUrl,
    hasWebhookSecret: !!row.webhookSecretEnc,
    emailOwners: row.emailOwners,
  };
}

async function readRow(db: Db, workspaceId: string): Promise<Row> {
  return (await db.nudgeSettings.findUnique({ where: { workspaceId }, select: SELECT })) ?? OFF;
}

export async function getNudgeSettings(db: Db, workspaceId: string): Promise<NudgeSettingsView> {
  return toView(await readRow(db, workspaceId));
}

/** The signing secret (`whsec_…`), for the delivery. */
export async function webhookSecretOf(db: Db, workspaceId: string): Promise<string | null> {
  const row = await db.nudgeSettings.findUnique({ where: { workspaceId }, select: { webhookSecretEnc: true } });
  return decryptOrNull(row?.webhookSecretEnc);
}

const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/**
 * Switches rules on or off and sets the deliveries. A rule switched on counts occurrences from that moment
 * (switching it on again later keeps its first time). A webhook URL set for the first time, or `rotateSecret`,
 * makes a new signing secret, answered once as `webhookSecret`.
 */
export async function updateNudgeSettings(
  db: Db,
  workspaceId: string,
  raw: z.input<typeof nudgeSettingsInput>,
  now = new Date(),
): Promise<NudgeSettingsView & { webhookSecret?: string }> {
  const input = nudgeSettingsInput.parse(raw);
  const current = await readRow(db, workspaceId);
  const data: Partial<Row> = {};
  for (const r of RULES) {
    const on = input.rules?.[r];
    if (on === undefined) continue;
    data[SINCE[r]] = on ? (current[SINCE[r]] ?? now) : null;
  }
  if (input.pricingPath !== undefined) {
    const p = normalizePath(input.pricingPath);
    if (!p)
      throw badRequest("pricingPath: must be a path such as /pricing", [
        { path: "pricingPath", message: "must be a path such as /pricing" },
      ]);
    data.pricingPath = p;
  }
  if (input.webhookUrl !== undefined) data.webhookUrl = input.webhookUrl;
  if (input.emailOwners !== undefined) data.emailOwners = input.emailOwners;
  let secret: string | undefined;
  const url = data.webhookUrl !== undefined ? data.webhookUrl : current.webhookUrl;
  if (input.rotateSecret || (url && !current.webhookSecretEnc)) {
    secret = newSecret();
    data.webhookSecretEnc = encrypt(secret);
  }
  const row = await db.nudgeSettings.upsert({
    where: { workspaceId },
    create: { ...OFF, ...data, workspaceId },
    update: data,
    select: SELECT,
  });
  forgetNudgeRules(workspaceId);
  return { ...toView(row), ...(secret ? { webhookSecret: secret } : {}) };
}

// ── The rules as the ingest hook reads them: cached per process for a few seconds ──

const TTL_MS = 5_000;
const cache = processShared("nudges.rules", () => new Map<string, { at: number; rules: Promise<NudgeRules> }>());

/**
 * The workspace's rules, read at most once per 5 s per process (the ingest hook runs per batch): a change saved
 * on this instance applies at once, on another within 5 s.
 */
export function nudgeRules(db: Db, workspaceId: string): Promise<NudgeRules> {
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.rules;
  const rules = readRow(db, workspaceId).then(({ webhookSecretEnc: _, ...r }) => r);
  const entry = { at: Date.now(), rules };
  cache.set(workspaceId, entry);
  rules.catch(() => {
    if (cache.get(workspaceId) === entry) cache.delete(workspaceId);
  });
  if (cache.size > 5_000) cache.delete(cache.keys().next().value as string);
  return rules;
}

export function forgetNudgeRules(workspaceId: string) {
  cache.delete(workspaceId);
}
