-- Overture's own tables. Camunda creates and upgrades its ACT_* tables itself.

CREATE TABLE api_key (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  key_hash    CHAR(64)     NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL,
  revoked_at  TIMESTAMP(3) NULL,
  CONSTRAINT uk_api_key_hash UNIQUE (key_hash)
);

CREATE TABLE profile (
  id          CHAR(36)     NOT NULL PRIMARY KEY,
  attributes  JSON         NOT NULL CHECK (JSON_VALID(attributes)),
  created_at  TIMESTAMP(3) NOT NULL,
  updated_at  TIMESTAMP(3) NOT NULL
);

-- one row per identity; an identity belongs to exactly one profile
CREATE TABLE profile_identity (
  type        VARCHAR(32)  NOT NULL,
  value       VARCHAR(320) NOT NULL,
  profile_id  CHAR(36)     NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (type, value),
  KEY ix_identity_profile (profile_id),
  CONSTRAINT fk_identity_profile FOREIGN KEY (profile_id) REFERENCES profile (id)
);

-- append-only: the current state of a (profile, channel, purpose) is its newest row
CREATE TABLE consent_entry (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  profile_id  CHAR(36)     NOT NULL,
  channel     VARCHAR(16)  NOT NULL,
  purpose     VARCHAR(16)  NOT NULL,
  status      VARCHAR(16)  NOT NULL,
  source      VARCHAR(200) NOT NULL,
  recorded_by VARCHAR(200) NULL,
  recorded_at TIMESTAMP(6) NOT NULL,
  KEY ix_consent_current (profile_id, channel, purpose, id),
  CONSTRAINT fk_consent_profile FOREIGN KEY (profile_id) REFERENCES profile (id)
);

CREATE TABLE journey_entry (
  id                  CHAR(36)     NOT NULL PRIMARY KEY,
  journey_key         VARCHAR(255) NOT NULL,
  profile_id          CHAR(36)     NOT NULL,
  idempotency_key     VARCHAR(255) NULL,
  request_hash        CHAR(64)     NULL,
  process_instance_id VARCHAR(64)  NOT NULL,
  created_at          TIMESTAMP(3) NOT NULL,
  CONSTRAINT uk_entry_idempotency UNIQUE (journey_key, idempotency_key),
  KEY ix_entry_profile (profile_id, journey_key)
);

CREATE TABLE customer_event (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  event_id    VARCHAR(255) NOT NULL,
  type        VARCHAR(255) NOT NULL,
  profile_id  CHAR(36)     NOT NULL,
  occurred_at TIMESTAMP(3) NOT NULL,
  received_at TIMESTAMP(3) NOT NULL,
  properties  JSON         NOT NULL CHECK (JSON_VALID(properties)),
  CONSTRAINT uk_event_id UNIQUE (event_id),
  KEY ix_event_profile_type (profile_id, type, occurred_at)
);

-- message templates; a later version of a key supersedes the earlier ones once approved
CREATE TABLE creative (
  creative_key VARCHAR(128) NOT NULL,
  version      INT          NOT NULL,
  channel      VARCHAR(16)  NOT NULL,
  subject      VARCHAR(500) NULL,
  body_text    TEXT         NULL,
  body_html    MEDIUMTEXT   NULL,
  status       VARCHAR(16)  NOT NULL,
  created_at   TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (creative_key, version)
);

-- the transactional outbox, and the delivery record of what happened to each message
CREATE TABLE outbox_message (
  id                  CHAR(36)     NOT NULL PRIMARY KEY,
  profile_id          CHAR(36)     NOT NULL,
  channel             VARCHAR(16)  NOT NULL,
  purpose             VARCHAR(16)  NOT NULL,
  creative_key        VARCHAR(128) NOT NULL,
  journey_key         VARCHAR(255) NULL,
  process_instance_id VARCHAR(64)  NULL,
  activity_id         VARCHAR(255) NULL,
  status              VARCHAR(16)  NOT NULL,
  reason              VARCHAR(1000) NULL,
  recipient           VARCHAR(320) NULL,
  creative_version    INT          NULL,
  attempts            INT          NOT NULL DEFAULT 0,
  due_at              TIMESTAMP(3) NOT NULL,
  claimed_until       TIMESTAMP(3) NULL,
  created_at          TIMESTAMP(3) NOT NULL,
  updated_at          TIMESTAMP(3) NOT NULL,
  sent_at             TIMESTAMP(3) NULL,
  KEY ix_outbox_due (status, due_at),
  KEY ix_outbox_profile (profile_id, created_at)
);
