-- CreateTable
CREATE TABLE "PreferenceToken" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "profileId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'full',
    "tokenHash" TEXT NOT NULL,
    "identifierId" UUID,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PreferenceToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PreferenceToken_tokenHash_key" ON "PreferenceToken"("tokenHash");

-- CreateIndex
CREATE INDEX "PreferenceToken_workspaceId_profileId_idx" ON "PreferenceToken"("workspaceId", "profileId");

-- CreateIndex
CREATE INDEX "PreferenceToken_expiresAt_idx" ON "PreferenceToken"("expiresAt");
