-- Data: keys that held every scope before sending existed ("Full access") get messages:write, so a full-access
-- key keeps meaning full access; keys an owner narrowed on purpose stay narrowed.
UPDATE "ApiKey"
SET "scopes" = "scopes" || ARRAY['messages:write']
WHERE "scopes" @> ARRAY['events:write', 'profiles:read', 'profiles:write', 'links:write', 'export:read', 'integrations:read', 'integrations:write', 'checkout:write']
  AND NOT ("scopes" @> ARRAY['messages:write']);
