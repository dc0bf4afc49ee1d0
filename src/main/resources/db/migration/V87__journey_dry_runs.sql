-- A journey version published in dry run beside the live one (docs/journeys.md#dry-run): from started_at until
-- until_at (or ended_at, when someone ends it early) every entry of the live version also starts a shadow instance
-- of this version that walks the diagram and sends nothing. At most one open dry run per journey.
CREATE TABLE journey_dry_run (
  id          VARCHAR(64)  NOT NULL PRIMARY KEY,
  journey_key VARCHAR(255) NOT NULL,
  version     INT          NOT NULL,
  live_version INT         NOT NULL,
  started_by  VARCHAR(255) NOT NULL,
  started_at  DATETIME(6)  NOT NULL,
  until_at    DATETIME(6)  NOT NULL,
  ended_at    DATETIME(6)  NULL,
  KEY journey_dry_run_journey (journey_key, started_at)
);
