import { AppError } from "../errors.ts";
import type { ProviderModule } from "./types.ts";

/**
 * The webhook half of a provider that only receives from us (Meta, Google: conversion send-back): nothing is
 * ever verified, so a post to a webhook URL of theirs could never be kept. They have no webhook route either.
 */
export const OUTBOUND_ONLY: Pick<ProviderModule, "verify" | "bodyDeliveryId" | "map" | "outbound"> = {
  outbound: true,
  verify: () => null,
  bodyDeliveryId: () => null,
  map: () => {
    throw new AppError("invalid_request", 400, "This integration receives no webhooks.");
  },
};
