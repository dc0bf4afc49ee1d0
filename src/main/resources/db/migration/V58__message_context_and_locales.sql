-- What a message is rendered from, taken when the Send step ran (profile attributes, the event's
-- properties, the named journey variables); erasure clears it with the row's other personal data
ALTER TABLE outbox_message ADD COLUMN context MEDIUMTEXT NULL;

-- A creative version's variants per locale beside its default content (the top-level columns)
ALTER TABLE creative
  ADD COLUMN default_locale VARCHAR(35) NULL,
  ADD COLUMN locales        MEDIUMTEXT  NULL;

-- Test sends of a creative to the seed list: outside the outbox, so no cap, quiet hours or outcome
-- event ever counts them; kept so that who tested what, to whom, stays visible
CREATE TABLE test_delivery (
  id               VARCHAR(64)   NOT NULL PRIMARY KEY,
  creative_key     VARCHAR(128)  NOT NULL,
  channel          VARCHAR(16)   NOT NULL,
  creative_version INT           NOT NULL,
  locale           VARCHAR(35)   NULL,
  profile_id       CHAR(36)      NOT NULL,
  recipient        VARCHAR(320)  NOT NULL,
  status           VARCHAR(16)   NOT NULL,
  reason           VARCHAR(1000) NULL,
  sent_by          VARCHAR(200)  NOT NULL,
  sent_at          TIMESTAMP(3)  NOT NULL,
  KEY ix_test_delivery_creative (creative_key, channel, creative_version)
);
