-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "weeklySummary" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "SummarySend" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "week" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'sending',
    "via" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "SummarySend_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SummarySend_workspaceId_userId_week_key" ON "SummarySend"("workspaceId", "userId", "week");
