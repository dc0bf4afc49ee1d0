-- [delivery] creatives versioned per key and channel, with approval; governance and privacy tables.

ALTER TABLE creative DROP PRIMARY KEY, ADD PRIMARY KEY (creative_key, channel, version);
ALTER TABLE creative
  ADD COLUMN sms_body    VARCHAR(1600) NULL,
  ADD COLUMN push_title  VARCHAR(200)  NULL,
  ADD COLUMN push_body   VARCHAR(1000) NULL,
  ADD COLUMN fallbacks   JSON          NULL CHECK (fallbacks IS NULL OR JSON_VALID(fallbacks)),
  ADD COLUMN created_by  VARCHAR(200)  NULL,
  ADD COLUMN approved_by VARCHAR(200)  NULL,
  ADD COLUMN approved_at TIMESTAMP(3)  NULL;
UPDATE creative SET approved_by = 'seed', approved_at = created_at, created_by = 'seed' WHERE status = 'approved';

-- channel-specific inputs (candidate channels for 'preferred', audience action), and what governance decided
ALTER TABLE outbox_message
  ADD COLUMN params            JSON   NULL CHECK (params IS NULL OR JSON_VALID(params)),
  ADD COLUMN consent_entry_id  BIGINT NULL;

-- addresses that must not be messaged: stored as SHA-256 of the normalised address, so erasure leaves no PII here
CREATE TABLE suppression (
  channel      VARCHAR(16)  NOT NULL,
  address_hash CHAR(64)     NOT NULL,
  reason       VARCHAR(32)  NOT NULL,
  source       VARCHAR(200) NOT NULL,
  created_at   TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (channel, address_hash)
);

-- frequency caps: the lock row serialises reservations per profile and channel; a slot is one counted message
CREATE TABLE frequency_lock (
  profile_id CHAR(36)    NOT NULL,
  channel    VARCHAR(16) NOT NULL,
  PRIMARY KEY (profile_id, channel)
);
CREATE TABLE frequency_slot (
  outbox_id   CHAR(36)     NOT NULL PRIMARY KEY,
  profile_id  CHAR(36)     NOT NULL,
  channel     VARCHAR(16)  NOT NULL,
  reserved_at TIMESTAMP(3) NOT NULL,
  KEY ix_slot_window (profile_id, channel, reserved_at)
);

-- erasures, without personal data: the profile id (no longer resolvable) and counts
CREATE TABLE erasure_audit (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  profile_id   CHAR(36)     NOT NULL,
  requested_by VARCHAR(200) NOT NULL,
  erased_at    TIMESTAMP(3) NOT NULL,
  summary      JSON         NOT NULL CHECK (JSON_VALID(summary))
);
