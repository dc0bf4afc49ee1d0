-- Message counts of a journey's Send steps, kept when the outcome is recorded (delivery/internal/
-- MessageCounters, in the transaction that writes it), so the journey stats never read the outbox.
-- Keyed like journey_element_count: the instance's version and hour of entry (from journey_run when
-- the outcome is written). outcome: sent (bounced ones included), failed, bounced, opened, clicked,
-- unsubscribed, or suppressed:<reason key>. No shards: outcomes are written in batches by one writer
-- thread per node and feedback one message at a time, not by concurrent enrollment chunks. Below: the
-- journey log's counters folded onto 4 shards, and the outbox index only the old count read dropped.
CREATE TABLE journey_message_count (
  journey_key  VARCHAR(255) NOT NULL,
  version      INT          NOT NULL,
  element_id   VARCHAR(255) NOT NULL,
  entered_hour DATETIME     NOT NULL,
  outcome      VARCHAR(64)  NOT NULL,
  messages     BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (journey_key, version, element_id, entered_hour, outcome)
);

-- The first open, click and unsubscribe of a message: set once, so a repeated pixel load, a second link
-- or a retried request moves the counter only the first time.
ALTER TABLE outbox_message
  ADD COLUMN opened_at       DATETIME(3) NULL,
  ADD COLUMN clicked_at      DATETIME(3) NULL,
  ADD COLUMN unsubscribed_at DATETIME(3) NULL;

-- Messages recorded before this migration: counted once from the outbox and the outcome events.
UPDATE outbox_message o SET
  o.opened_at = IF(EXISTS (SELECT 1 FROM customer_event e WHERE e.event_id = CONCAT(o.id, ':opened')), o.updated_at, NULL),
  o.clicked_at = IF(EXISTS (SELECT 1 FROM customer_event e WHERE e.event_id LIKE CONCAT(o.id, ':clicked%')), o.updated_at, NULL),
  o.unsubscribed_at = IF(EXISTS (SELECT 1 FROM customer_event e WHERE e.event_id = CONCAT(o.id, ':unsubscribed')), o.updated_at, NULL)
WHERE o.journey_key IS NOT NULL AND o.activity_id IS NOT NULL AND o.status IN ('sent', 'bounced');

-- The counters of those messages (of instances the journey log still has); the reason keys as
-- delivery/JourneyMessageStats#suppressionKey gives them.
INSERT INTO journey_message_count (journey_key, version, element_id, entered_hour, outcome, messages)
SELECT o.journey_key, r.version, o.activity_id, DATE_FORMAT(r.started_at, '%Y-%m-%d %H:00:00'), x.outcome, COUNT(*)
FROM outbox_message o
JOIN journey_run r ON r.instance_id = o.process_instance_id
JOIN (SELECT 'sent' AS outcome UNION ALL SELECT 'failed' UNION ALL SELECT 'bounced' UNION ALL SELECT 'opened'
      UNION ALL SELECT 'clicked' UNION ALL SELECT 'unsubscribed' UNION ALL SELECT 'suppressed') x
  ON (x.outcome = 'sent' AND o.status IN ('sent', 'bounced'))
  OR (x.outcome IN ('failed', 'bounced', 'suppressed') AND o.status = x.outcome)
  OR (x.outcome = 'opened' AND o.opened_at IS NOT NULL)
  OR (x.outcome = 'clicked' AND o.clicked_at IS NOT NULL)
  OR (x.outcome = 'unsubscribed' AND o.unsubscribed_at IS NOT NULL)
WHERE o.journey_key IS NOT NULL AND o.activity_id IS NOT NULL AND x.outcome <> 'suppressed'
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO journey_message_count (journey_key, version, element_id, entered_hour, outcome, messages)
SELECT o.journey_key, r.version, o.activity_id, DATE_FORMAT(r.started_at, '%Y-%m-%d %H:00:00'), CONCAT('suppressed:', CASE
    WHEN o.reason IS NULL THEN 'unknown'
    WHEN o.reason LIKE 'no %' AND o.reason LIKE '% consent %' THEN 'no_consent'
    WHEN o.reason LIKE 'profile has no %' THEN 'no_address'
    WHEN o.reason LIKE '%suppression list%' THEN 'suppression_list'
    WHEN o.reason LIKE 'frequency cap%' THEN 'frequency_cap'
    WHEN o.reason LIKE 'marketing paused%' THEN 'open_ticket'
    WHEN o.reason LIKE 'profile not found%' THEN 'no_profile'
    WHEN o.reason LIKE 'no reachable channel%' THEN 'no_reachable_channel'
    WHEN o.reason LIKE '%holdout%' THEN 'holdout'
    ELSE 'other' END), COUNT(*)
FROM outbox_message o
JOIN journey_run r ON r.instance_id = o.process_instance_id
WHERE o.journey_key IS NOT NULL AND o.activity_id IS NOT NULL AND o.status = 'suppressed'
GROUP BY 1, 2, 3, 4, 5;

-- The journey log's counters on 4 shards instead of 16 (journey/internal/JourneyLog#SHARDS): a quarter of
-- the rows for the stats to read. Existing rows are folded onto shards 0-3, summing the rows that meet.
CREATE TABLE journey_count_folded LIKE journey_count;
INSERT INTO journey_count_folded (journey_key, version, entered_hour, shard, entered, completed, goal_reached, exited_by_event,
    exited_by_api, cancelled, erased)
SELECT journey_key, version, entered_hour, shard MOD 4, SUM(entered), SUM(completed), SUM(goal_reached), SUM(exited_by_event),
    SUM(exited_by_api), SUM(cancelled), SUM(erased)
FROM journey_count GROUP BY journey_key, version, entered_hour, shard MOD 4;
RENAME TABLE journey_count TO journey_count_unfolded, journey_count_folded TO journey_count;
DROP TABLE journey_count_unfolded;

CREATE TABLE journey_element_count_folded LIKE journey_element_count;
INSERT INTO journey_element_count_folded (journey_key, version, element_id, entered_hour, shard, entered, completed, cancelled)
SELECT journey_key, version, element_id, entered_hour, shard MOD 4, SUM(entered), SUM(completed), SUM(cancelled)
FROM journey_element_count GROUP BY journey_key, version, element_id, entered_hour, shard MOD 4;
RENAME TABLE journey_element_count TO journey_element_count_unfolded, journey_element_count_folded TO journey_element_count;
DROP TABLE journey_element_count_unfolded;

-- Only the stats' outbox count read this index (V60); every status change of a journey message kept it up.
DROP INDEX ix_outbox_journey ON outbox_message;
