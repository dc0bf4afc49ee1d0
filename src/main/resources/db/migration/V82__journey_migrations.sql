-- Running instances moved from one version of a journey to another (docs/journeys.md#migrating-running-customers).

-- The journey log keeps its counters true across a migration: an instance that moves counts as migrated out of its
-- old version and migrated into its new one, under the hour it entered the journey, and so does the element it waits
-- at. Running = entered + migrated_in - migrated_out - ended; waiting at an element likewise.
ALTER TABLE journey_count
  ADD COLUMN migrated_out BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN migrated_in  BIGINT NOT NULL DEFAULT 0;
ALTER TABLE journey_element_count
  ADD COLUMN migrated_out BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN migrated_in  BIGINT NOT NULL DEFAULT 0;

-- journey_run.version is the version the instance is on now; migrated_from the one it was on before its last
-- migration (null: it runs on the version it entered).
ALTER TABLE journey_run ADD COLUMN migrated_from INT NULL;

-- One row per migration started through the API: who moved which instances from where to where, with which
-- element mapping; the journey's audit of migrations. The progress is Camunda's batch's while it runs.
CREATE TABLE journey_migration (
  id           VARCHAR(64)  NOT NULL PRIMARY KEY,
  journey_key  VARCHAR(255) NOT NULL,
  from_version INT          NOT NULL,
  to_version   INT          NOT NULL,
  -- the plan's instructions as JSON: [{"source": "...", "target": "..."}]
  instructions TEXT         NOT NULL,
  batch_id     VARCHAR(64)  NOT NULL,
  instances    INT          NOT NULL,
  started_by   VARCHAR(255) NOT NULL,
  started_at   DATETIME(3)  NOT NULL,
  KEY ix_migration_journey (journey_key, started_at)
);

-- The instances a migration was asked to move, to tell migrated (now on to_version) from not.
CREATE TABLE journey_migration_instance (
  migration_id VARCHAR(64) NOT NULL,
  instance_id  VARCHAR(64) NOT NULL,
  PRIMARY KEY (migration_id, instance_id)
);
