-- The send-time model's one table: per profile, channel and local hour of the week (0 = Monday 00:00 in the
-- profile's time zone) the engagements seen there, each weighed 2^((t - 2026-01-01) / 30 days). Weights measured
-- against a fixed epoch decay by the same factor in every row, so an engagement adds to its row without reading it,
-- and the population's model is a plain sum over profiles; a reader scales them to "now". Rows exist only for hours
-- that saw an engagement.
CREATE TABLE send_time_engagement (
  profile_id   CHAR(36)         NOT NULL,
  channel      VARCHAR(16)      NOT NULL,
  hour_of_week TINYINT UNSIGNED NOT NULL,
  weight       DOUBLE           NOT NULL,
  opens        INT              NOT NULL,
  clicks       INT              NOT NULL,
  last_at      DATETIME(3)      NOT NULL,
  PRIMARY KEY (profile_id, channel, hour_of_week),
  -- the population's sums read this index alone
  KEY ix_send_time_population (channel, hour_of_week, weight)
);
