-- Provider feedback (bounces, complaints reported later by webhook): one row per message and kind,
-- so a provider repeating its report changes nothing the second time. No address here, only ids.
CREATE TABLE delivery_feedback (
  outbox_id   CHAR(36)     NOT NULL,
  type        VARCHAR(16)  NOT NULL,
  reported_by VARCHAR(200) NOT NULL,
  received_at TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (outbox_id, type)
);
