-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "dedupeKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "eventId" UUID,
ADD COLUMN     "finishedAt" TIMESTAMPTZ(3),
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lastStatus" INTEGER,
ADD COLUMN     "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Outbox_workspaceId_destination_status_finishedAt_idx" ON "Outbox"("workspaceId", "destination", "status", "finishedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_workspaceId_destination_dedupeKey_key" ON "Outbox"("workspaceId", "destination", "dedupeKey");
