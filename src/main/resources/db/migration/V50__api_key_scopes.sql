-- What an API key may do: space-separated scopes (see docs/access.md), and when it was last used
-- (written at most once a minute per key).
ALTER TABLE api_key
  ADD COLUMN scopes VARCHAR(255) NOT NULL DEFAULT '' AFTER key_hash,
  ADD COLUMN last_used_at TIMESTAMP(3) NULL AFTER created_at;

-- Keys stored before scopes existed could do everything (all of them came from overture.api-key);
-- they keep that until an admin revokes them over DELETE /api/keys/{id}.
UPDATE api_key SET scopes = 'admin';
