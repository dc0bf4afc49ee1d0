-- Each deployed version of a customer journey and where it stands: draft (deployed, takes nothing), in_review
-- (a Tasklist review decides; review_of is the state a rejection returns it to), live (takes entries, events and
-- enrollments; one per journey) or retired (no new entries; its running instances finish on it). Approval
-- processes (with user tasks) have no rows; nor have journeys deployed before this table, until their next version.
CREATE TABLE journey_version (
  process_definition_id VARCHAR(64)   NOT NULL PRIMARY KEY,
  journey_key           VARCHAR(255)  NOT NULL,
  version               INT           NOT NULL,
  state                 VARCHAR(16)   NOT NULL,
  review_of             VARCHAR(16)   NULL,
  author                VARCHAR(255)  NULL,
  deployed_at           TIMESTAMP(3)  NOT NULL,
  requested_by          VARCHAR(255)  NULL,
  requested_at          TIMESTAMP(3)  NULL,
  review_instance_id    VARCHAR(64)   NULL,
  reviewer              VARCHAR(255)  NULL,
  reviewed_at           TIMESTAMP(3)  NULL,
  review_comment        VARCHAR(4000) NULL,
  live_since            TIMESTAMP(3)  NULL,
  retired_at            TIMESTAMP(3)  NULL,
  -- every change moves it: the caches of the live versions on every node compare the newest one
  changed_at            TIMESTAMP(6)  NOT NULL,
  UNIQUE KEY uk_journey_version (journey_key, version),
  KEY ix_journey_version_changed (changed_at)
);
