-- Data: keys that held every scope before checkout existed ("Full access") get checkout:write, so a full-access
-- key keeps meaning full access; keys an owner narrowed on purpose stay narrowed.
UPDATE "ApiKey"
SET "scopes" = "scopes" || ARRAY['checkout:write']
WHERE "scopes" @> ARRAY['events:write', 'profiles:read', 'profiles:write', 'links:write', 'export:read', 'integrations:read', 'integrations:write']
  AND NOT ("scopes" @> ARRAY['checkout:write']);
