-- [segments] segment definitions (every version kept), audience enrollments and their members,
-- and indexed columns for the profile attributes segments use most.

-- a segment key's versions; the newest is current, an enrollment pins the version it started with
CREATE TABLE segment (
  segment_key VARCHAR(128)  NOT NULL,
  version     INT           NOT NULL,
  name        VARCHAR(255)  NOT NULL,
  expression  TEXT          NOT NULL,
  created_at  TIMESTAMP(3)  NOT NULL,
  PRIMARY KEY (segment_key, version)
);

-- indexed, exact (binary) copies of string attributes that segments filter on most; a non-string
-- value is NULL here, so SQL agrees with FEEL, where 5 = "5" is not true
ALTER TABLE profile
  ADD COLUMN attr_tier VARCHAR(64) COLLATE utf8mb4_bin AS
    (IF(JSON_TYPE(JSON_EXTRACT(attributes, '$.tier')) = 'STRING', LEFT(JSON_VALUE(attributes, '$.tier'), 64), NULL)) VIRTUAL,
  ADD COLUMN attr_country VARCHAR(64) COLLATE utf8mb4_bin AS
    (IF(JSON_TYPE(JSON_EXTRACT(attributes, '$.country')) = 'STRING', LEFT(JSON_VALUE(attributes, '$.country'), 64), NULL)) VIRTUAL,
  ADD INDEX ix_profile_tier (attr_tier, id),
  ADD INDEX ix_profile_country (attr_country, id);

-- one audience enrollment: a pinned segment version entered into a journey, walked by profile id
CREATE TABLE enrollment (
  id                 CHAR(36)      NOT NULL PRIMARY KEY,
  journey_key        VARCHAR(255)  NOT NULL,
  segment_key        VARCHAR(128)  NOT NULL,
  segment_version    INT           NOT NULL,
  variables          JSON          NOT NULL CHECK (JSON_VALID(variables)),
  consent_channel    VARCHAR(16)   NULL,
  consent_purpose    VARCHAR(16)   NULL,
  status             VARCHAR(16)   NOT NULL,
  cursor_profile_id  CHAR(36)      NOT NULL DEFAULT '',
  total              BIGINT        NOT NULL,
  scanned            BIGINT        NOT NULL DEFAULT 0,
  enrolled           BIGINT        NOT NULL DEFAULT 0,
  skipped            BIGINT        NOT NULL DEFAULT 0,
  failed             BIGINT        NOT NULL DEFAULT 0,
  undecided          BIGINT        NOT NULL DEFAULT 0,
  active_millis      BIGINT        NOT NULL DEFAULT 0,
  created_by         VARCHAR(200)  NULL,
  created_at         TIMESTAMP(3)  NOT NULL,
  updated_at         TIMESTAMP(3)  NOT NULL,
  finished_at        TIMESTAMP(3)  NULL,
  KEY ix_enrollment_status (status)
);

-- what an enrollment did with each member (and with each profile whose evaluation failed);
-- the primary key makes a second start for the same profile impossible
CREATE TABLE enrollment_member (
  enrollment_id CHAR(36)      NOT NULL,
  profile_id    CHAR(36)      NOT NULL,
  outcome       VARCHAR(16)   NOT NULL,
  reason        VARCHAR(64)   NULL,
  detail        VARCHAR(500)  NULL,
  entry_id      CHAR(36)      NULL,
  PRIMARY KEY (enrollment_id, profile_id),
  KEY ix_member_outcome (enrollment_id, outcome, reason)
);
