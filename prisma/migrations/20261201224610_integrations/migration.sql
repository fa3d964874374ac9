-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "config" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "credentialsEnc" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "WebhookReceipt" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "bodyEnc" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "error" TEXT,
ADD COLUMN     "eventCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "identityHashes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "outcome" TEXT NOT NULL DEFAULT 'received',
ADD COLUMN     "processedAt" TIMESTAMPTZ(3),
ADD COLUMN     "scheme" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "summary" TEXT;

-- CreateIndex
CREATE INDEX "WebhookReceipt_workspaceId_receivedAt_idx" ON "WebhookReceipt"("workspaceId", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookReceipt_workspaceId_provider_receivedAt_idx" ON "WebhookReceipt"("workspaceId", "provider", "receivedAt");

-- Data: keys that held every scope before integrations existed ("Full access") get the two new scopes, so a
-- full-access key keeps meaning full access; keys an owner narrowed on purpose stay narrowed.
UPDATE "ApiKey"
SET "scopes" = "scopes" || ARRAY['integrations:read', 'integrations:write']
WHERE "scopes" @> ARRAY['events:write', 'profiles:read', 'profiles:write', 'links:write', 'export:read']
  AND NOT ("scopes" @> ARRAY['integrations:read']);
