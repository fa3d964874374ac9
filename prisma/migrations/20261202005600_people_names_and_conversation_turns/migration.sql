-- DropIndex
DROP INDEX "Profile_workspaceId_rung_idx";

-- AlterTable
ALTER TABLE "Profile" ADD COLUMN     "nameTokens" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Profile_workspaceId_firstSeenAt_idx" ON "Profile"("workspaceId", "firstSeenAt" DESC);

-- CreateIndex
CREATE INDEX "Profile_workspaceId_rung_lastSeenAt_idx" ON "Profile"("workspaceId", "rung", "lastSeenAt" DESC);

-- CreateIndex
CREATE INDEX "Profile_nameTokens_idx" ON "Profile" USING GIN ("nameTokens");

-- CreateIndex
CREATE INDEX "Event_conversation_turns_idx" ON "Event"("workspaceId", "occurredAt" DESC, "id" DESC) WHERE ("profileId" IS NOT NULL AND ((source = 'channel' AND type <> 'message_status') OR (source = 'email' AND type IN ('email_sent', 'email_replied', 'email_received')) OR (source = 'agent' AND channel IS NOT NULL AND channel <> 'web')));
