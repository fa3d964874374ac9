-- AlterTable
ALTER TABLE "Nudge" ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3),
ADD COLUMN     "doneAt" TIMESTAMPTZ(3),
ADD COLUMN     "doneById" UUID,
ADD COLUMN     "emailState" TEXT,
ADD COLUMN     "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "occurrence" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "webhookAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "webhookError" TEXT,
ADD COLUMN     "webhookNextAt" TIMESTAMPTZ(3),
ADD COLUMN     "webhookState" TEXT;

-- CreateTable
CREATE TABLE "NudgeSettings" (
    "workspaceId" UUID NOT NULL,
    "pricingSince" TIMESTAMPTZ(3),
    "pricingPath" TEXT NOT NULL DEFAULT '/pricing',
    "quoteSince" TIMESTAMPTZ(3),
    "missedCallSince" TIMESTAMPTZ(3),
    "webhookUrl" TEXT,
    "webhookSecretEnc" TEXT,
    "emailOwners" BOOLEAN NOT NULL DEFAULT false,
    "scannedUntil" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NudgeSettings_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateIndex
CREATE INDEX "Event_nudge_idx" ON "Event"("workspaceId", "type", "occurredAt", "id") WHERE (type IN ('email_opened', 'call_missed') AND "profileId" IS NOT NULL);

-- CreateIndex
CREATE INDEX "Nudge_open_idx" ON "Nudge"("workspaceId", "createdAt" DESC) WHERE ("doneAt" IS NULL);

-- CreateIndex
CREATE INDEX "Nudge_delivery_idx" ON "Nudge"("webhookNextAt") WHERE ("webhookState" = 'pending' OR "emailState" = 'pending');

-- CreateIndex
CREATE UNIQUE INDEX "Nudge_workspaceId_profileId_kind_occurrence_key" ON "Nudge"("workspaceId", "profileId", "kind", "occurrence");
