-- A test profile's journey instance (a test walk, docs/events.md "Test mode") is marked when it starts, so
-- that it counts nowhere: the journey log adds it to no counter, the results, conversions and message
-- counters leave out the runs marked here. The results count runs by journey, version and entry time from
-- ix_run_journey alone; the flag joins that index so they still do.
ALTER TABLE journey_run
  ADD COLUMN test BOOLEAN NOT NULL DEFAULT FALSE,
  DROP KEY ix_run_journey,
  ADD KEY ix_run_journey (journey_key, version, started_at, test);
