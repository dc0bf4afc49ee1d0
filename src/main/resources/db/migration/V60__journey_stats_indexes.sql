-- The journey stats read a journey's messages per Send step: without this index every stats call
-- scans the whole outbox.
CREATE INDEX ix_outbox_journey ON outbox_message (journey_key, activity_id, status);
