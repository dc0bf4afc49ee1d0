-- Expired claims are found by (status, claimed_until): the dispatcher's claim looks for them in a
-- range scan of their own instead of one OR query over every due row (docs/decisions.md).
ALTER TABLE outbox_message ADD KEY ix_outbox_claim (status, claimed_until);
