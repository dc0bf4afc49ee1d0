-- The compact journey log, written in the engine's transaction by the journey history event handler
-- (journey/internal/JourneyLog): journeys keep no Camunda history (docs/decisions.md).
-- Times are UTC, written as UTC wall-clock values.

-- One row per journey instance (approval processes such as campaign-launch have none). Deleted when
-- the profile is erased; the counters below keep the numbers, without the profile.
CREATE TABLE journey_run (
  instance_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
  journey_key    VARCHAR(255) NOT NULL,
  version        INT          NOT NULL,
  profile_id     VARCHAR(64)  NOT NULL,
  started_at     DATETIME(3)  NOT NULL,
  ended_at       DATETIME(3)  NULL,
  -- completed | goal_reached | exited_by_event | exited_by_api | cancelled | erased (docs/journeys.md)
  end_reason     VARCHAR(32)  NULL,
  end_element_id VARCHAR(255) NULL,
  KEY ix_run_journey (journey_key, version, started_at),
  KEY ix_run_profile (profile_id)
);

-- Instances per journey, version and hour of entry: entered, and ended by reason. A counter row is
-- spread over shards (a hash of the instance id) so that concurrent enrollment chunks of one journey
-- do not all wait on one row; a transaction adds its counts at commit, in primary-key order.
CREATE TABLE journey_count (
  journey_key     VARCHAR(255) NOT NULL,
  version         INT          NOT NULL,
  entered_hour    DATETIME     NOT NULL,
  shard           TINYINT      NOT NULL,
  entered         BIGINT       NOT NULL DEFAULT 0,
  completed       BIGINT       NOT NULL DEFAULT 0,
  goal_reached    BIGINT       NOT NULL DEFAULT 0,
  exited_by_event BIGINT       NOT NULL DEFAULT 0,
  exited_by_api   BIGINT       NOT NULL DEFAULT 0,
  cancelled       BIGINT       NOT NULL DEFAULT 0,
  erased          BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (journey_key, version, entered_hour, shard)
);

-- Per BPMN element, by the hour its instance entered the journey: activity instances started there,
-- completed there, and cancelled there (the instance was ended or interrupted while waiting there).
-- Waiting there now = entered - completed - cancelled.
CREATE TABLE journey_element_count (
  journey_key  VARCHAR(255) NOT NULL,
  version      INT          NOT NULL,
  element_id   VARCHAR(255) NOT NULL,
  entered_hour DATETIME     NOT NULL,
  shard        TINYINT      NOT NULL,
  entered      BIGINT       NOT NULL DEFAULT 0,
  completed    BIGINT       NOT NULL DEFAULT 0,
  cancelled    BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (journey_key, version, element_id, entered_hour, shard)
);
