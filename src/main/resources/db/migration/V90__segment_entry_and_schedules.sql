-- Entry on segment qualification (docs/journeys.md#entry-on-segment-qualification). A change to a profile's
-- attributes, consents or events that an entry segment of a live journey reads leaves a row here in the change's own
-- transaction; a worker evaluates the profile's entry segments and deletes it in the transaction that enters the
-- journeys, so neither a failure nor a crash between the two loses an entry.
CREATE TABLE segment_entry_pending (
  profile_id VARCHAR(64) NOT NULL PRIMARY KEY,
  queued_at  DATETIME(6) NOT NULL,
  due_at     DATETIME(6) NOT NULL,
  attempts   INT         NOT NULL DEFAULT 0,
  last_error VARCHAR(1000) NULL,
  KEY segment_entry_pending_due (due_at)
);

-- A profile's membership of a segment that some journey enters on, as last evaluated: a row is a member. Entering is
-- the evaluation that finds a member without a row.
CREATE TABLE segment_membership (
  segment_key VARCHAR(128) NOT NULL,
  profile_id  VARCHAR(64)  NOT NULL,
  entered_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (segment_key, profile_id),
  KEY segment_membership_profile (profile_id)
);

-- Recurring enrollment: a cron schedule that enrolls a segment's members into a journey at each occurrence.
CREATE TABLE enrollment_schedule (
  id              VARCHAR(64)  NOT NULL PRIMARY KEY,
  journey_key     VARCHAR(255) NOT NULL,
  segment_key     VARCHAR(128) NOT NULL,
  cron            VARCHAR(120) NOT NULL,
  time_zone       VARCHAR(64)  NOT NULL,
  variables       TEXT         NOT NULL,
  consent_channel VARCHAR(32)  NULL,
  consent_purpose VARCHAR(32)  NULL,
  status          VARCHAR(16)  NOT NULL,
  next_at         DATETIME(6)  NOT NULL,
  created_by      VARCHAR(255) NOT NULL,
  created_at      DATETIME(6)  NOT NULL,
  KEY enrollment_schedule_due (status, next_at),
  KEY enrollment_schedule_journey (journey_key, created_at)
);

-- One run per schedule and occurrence: the primary key is what keeps two nodes from both running one occurrence.
CREATE TABLE enrollment_schedule_run (
  schedule_id   VARCHAR(64) NOT NULL,
  occurrence_at DATETIME(6) NOT NULL,
  started_at    DATETIME(6) NOT NULL,
  missed        INT         NOT NULL,
  enrollment_id VARCHAR(64) NULL,
  error         VARCHAR(1000) NULL,
  PRIMARY KEY (schedule_id, occurrence_at)
);
