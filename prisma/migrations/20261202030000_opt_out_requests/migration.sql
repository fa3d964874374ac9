-- Decision 014: an opt-out request names what it opted out of; the request log lists by status and time.
-- AlterTable
ALTER TABLE "PrivacyRequest" ADD COLUMN     "channels" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- DropIndex
DROP INDEX "PrivacyRequest_workspaceId_status_idx";

-- CreateIndex
CREATE INDEX "PrivacyRequest_workspaceId_status_receivedAt_idx" ON "PrivacyRequest"("workspaceId", "status", "receivedAt");
