-- Data: keys that held every scope before reports existed ("Full access") get reports:read, so a full-access
-- key keeps meaning full access; keys an owner narrowed on purpose stay narrowed.
UPDATE "ApiKey"
SET "scopes" = "scopes" || ARRAY['reports:read']
WHERE "scopes" @> ARRAY['events:write', 'profiles:read', 'profiles:write', 'links:write', 'export:read', 'integrations:read', 'integrations:write', 'checkout:write']
  AND NOT ("scopes" @> ARRAY['reports:read']);
