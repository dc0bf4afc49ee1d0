-- Which variant of a journey's split each instance got. One row per instance and experiment: the
-- variant is a hash of profile and experiment key, so a re-entering profile gets the same one again.
CREATE TABLE experiment_assignment (
  instance_id    VARCHAR(64)  NOT NULL,
  experiment_key VARCHAR(255) NOT NULL,
  journey_key    VARCHAR(255) NOT NULL,
  version        INT          NOT NULL,
  element_id     VARCHAR(255) NOT NULL,
  profile_id     VARCHAR(64)  NOT NULL,
  variant        VARCHAR(64)  NOT NULL,
  control        BOOLEAN      NOT NULL,
  assigned_at    DATETIME(3)  NOT NULL,
  PRIMARY KEY (instance_id, experiment_key),
  KEY ix_assignment_journey (journey_key, experiment_key),
  KEY ix_assignment_profile (profile_id)
);

-- A journey instance's conversion: its profile's first goal event inside the window after entry. The
-- primary key makes a second goal event (or the same one correlated again) a no-op.
CREATE TABLE journey_conversion (
  instance_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
  journey_key        VARCHAR(255)  NOT NULL,
  version            INT           NOT NULL,
  profile_id         VARCHAR(64)   NOT NULL,
  event_id           VARCHAR(255)  NOT NULL,
  converted_at       DATETIME(3)   NOT NULL,
  revenue            DECIMAL(19,4) NULL,
  last_touch_element VARCHAR(255)  NULL,
  last_touch_message CHAR(36)      NULL,
  KEY ix_conversion_journey (journey_key, version, converted_at),
  KEY ix_conversion_profile (profile_id)
);

-- Every message step that reached the profile from that instance before it converted (any touch).
CREATE TABLE journey_conversion_touch (
  instance_id VARCHAR(64)  NOT NULL,
  element_id  VARCHAR(255) NOT NULL,
  PRIMARY KEY (instance_id, element_id)
);

-- The salt of the global holdout's hash: generated once per installation, so membership is the same on
-- every node and after every restart, and not guessable from the profile id alone.
CREATE TABLE holdout_salt (
  id   TINYINT     NOT NULL PRIMARY KEY,
  salt VARCHAR(64) NOT NULL
);
INSERT INTO holdout_salt (id, salt) VALUES (1, UUID());

-- The winback journey's two offers (variant A and B of its split); the control group gets neither.
INSERT INTO creative (creative_key, version, channel, subject, body_text, body_html, status, created_at) VALUES
('winback-a', 1, 'email',
 '{{#firstName}}{{firstName}}, {{/firstName}}we miss you: 15% off your next order',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nit has been a while. Here is 15% off your next order, this week only.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>it has been a while. Here is 15% off your next order, this week only.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3)),
('winback-b', 1, 'email',
 '{{#firstName}}{{firstName}}, {{/firstName}}your next order ships free',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nit has been a while. Your next order ships free, whatever its size.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>it has been a while. Your next order ships free, whatever its size.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3));
