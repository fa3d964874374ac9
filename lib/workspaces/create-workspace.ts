import { z } from "zod";
import { hashPassword } from "../crypto/password.ts";
import { randomToken } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { createApiKey, newSiteKey } from "./api-keys.ts";

export const timezoneSchema = z.string().refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin");
export const countrySchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "must be a two-letter country code such as US")
  .transform((c) => c.toUpperCase());

export const createWorkspaceInput = z.object({
  name: z.string().trim().min(1, "is required").max(100),
  ownerEmail: z
    .email("must be an email address")
    .max(254)
    .transform((e) => e.trim().toLowerCase()),
  ownerName: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  password: z.string().min(8, "must be at least 8 characters").max(200).optional(),
  region: z.enum(["eu", "us"]).default("us"),
  timezone: timezoneSchema.default("UTC"),
  defaultCountry: countrySchema.default("US"),
});
export type CreateWorkspaceInput = z.input<typeof createWorkspaceInput>;

export function isTimeZone(tz: string) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

export function slugify(name: string) {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "workspace";
}

/**
 * A new workspace with its owner (created, or an existing user joining as owner), a site key and a first
 * API key. One transaction: nothing is left half-made. The API key is returned once.
 */
export async function createWorkspace(db: Db, raw: CreateWorkspaceInput) {
  const input = createWorkspaceInput.parse(raw);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.ownerEmail }, select: { id: true } });
    if (existing && passwordHash) {
      throw new AppError("conflict", 409, "An account with that email already exists: log in to add a workspace.");
    }
    const user =
      existing ??
      (await tx.user.create({
        data: { email: input.ownerEmail, name: input.ownerName ?? null, passwordHash: passwordHash ?? null },
        select: { id: true },
      }));
    const base = slugify(input.name);
    let slug = base;
    for (let n = 2; await tx.workspace.findUnique({ where: { slug }, select: { id: true } }); n++) {
      slug = `${base}-${n}`;
    }
    const workspace = await tx.workspace.create({
      data: {
        slug,
        name: input.name,
        region: input.region,
        timezone: input.timezone,
        defaultCountry: input.defaultCountry,
        hashSalt: randomToken(32),
        memberships: { create: { userId: user.id, role: "owner" } },
        siteKeys: { create: { key: newSiteKey() } },
      },
      select: { id: true, slug: true, name: true, siteKeys: { select: { key: true } } },
    });
    const apiKey = await createApiKey(tx, workspace.id, "Default key", user.id);
    return {
      workspaceId: workspace.id,
      slug: workspace.slug,
      siteKey: workspace.siteKeys[0]!.key,
      apiKey: apiKey.key,
      ownerEmail: input.ownerEmail,
      ownerId: user.id,
    };
  });
}
