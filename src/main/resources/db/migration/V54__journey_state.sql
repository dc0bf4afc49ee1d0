-- A journey's lifecycle state, in our own table so that every node sees a pause at its next entry.
-- No row means active. running_suspended remembers that the pause also suspended the running
-- instances, so that resume reactivates those and leaves alone instances suspended in Cockpit.
CREATE TABLE journey_state (
  journey_key       VARCHAR(255) NOT NULL PRIMARY KEY,
  state             VARCHAR(16)  NOT NULL,
  running_suspended BOOLEAN      NOT NULL DEFAULT FALSE,
  changed_by        VARCHAR(255) NULL,
  changed_at        TIMESTAMP(3) NOT NULL
);
