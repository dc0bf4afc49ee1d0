-- A profile's events correlate in the order they were stored: before an event correlates, the correlator
-- looks for an earlier one of the same profile that is still waiting (one that failed and waits for its
-- retry, or one queued on another partition before a merge moved it here). This index answers that from
-- the profile's waiting rows alone (InnoDB appends the id), not from all of its events.
ALTER TABLE customer_event ADD KEY ix_event_profile_waiting (profile_id, processed_at);
