-- AlterTable
ALTER TABLE "EmailSend" ADD COLUMN     "error" TEXT,
ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "payloadEnc" TEXT,
ADD COLUMN     "requestHash" TEXT,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'sent',
ADD COLUMN     "toHash" TEXT,
ADD COLUMN     "tracked" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "unsubscribeToken" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "EmailSend_unsubscribeToken_key" ON "EmailSend"("unsubscribeToken");

-- CreateIndex
CREATE UNIQUE INDEX "EmailSend_workspaceId_idempotencyKey_key" ON "EmailSend"("workspaceId", "idempotencyKey");

-- Data: keys that held every scope before tracked email existed ("Full access") get emails:write, so a
-- full-access key keeps meaning full access; keys an owner narrowed on purpose stay narrowed.
UPDATE "ApiKey"
SET "scopes" = "scopes" || ARRAY['emails:write']
WHERE "scopes" @> ARRAY['events:write', 'profiles:read', 'profiles:write', 'links:write', 'export:read', 'integrations:read', 'integrations:write', 'checkout:write']
  AND NOT ("scopes" @> ARRAY['emails:write']);
