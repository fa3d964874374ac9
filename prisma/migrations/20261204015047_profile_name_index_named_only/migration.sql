-- The name's blind index holds only named profiles (decision 027). A GIN index keeps an "empty" entry for every
-- row whose array is empty, and every profile write that is not HOT added one: one pending-list entry and its WAL
-- on every event of an anonymous visitor, for rows no name search can match. The people search says
-- `cardinality("nameTokens") > 0` with its tokens (lib/people/list-people.ts), so it is answered from this index.

-- DropIndex
DROP INDEX "Profile_nameTokens_idx";

-- CreateIndex
CREATE INDEX "Profile_nameTokens_idx" ON "Profile" USING GIN ("nameTokens") WHERE (cardinality("nameTokens") > 0);
