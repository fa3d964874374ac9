-- CreateTable
CREATE TABLE "IngestLog" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" UUID NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "eventCount" INTEGER NOT NULL,
    "payloadEnc" TEXT NOT NULL,
    "claimedUntil" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "IngestLog_pkey" PRIMARY KEY ("id")
);
