-- A split's auto-winner decision, recorded once: the primary key makes two nodes that decide at the same time record
-- one row (INSERT IGNORE), and the first decision stays. Figures are the arms as the decision saw them (JSON).
CREATE TABLE experiment_decision (
  journey_key      VARCHAR(255) NOT NULL,
  experiment_key   VARCHAR(255) NOT NULL,
  winner           VARCHAR(64)  NOT NULL,
  decided_at       DATETIME(3)  NOT NULL,
  p_value          DOUBLE       NOT NULL,
  adjusted_p_value DOUBLE       NOT NULL,
  alpha            DOUBLE       NOT NULL,
  minimum_sample   INT          NOT NULL,
  method           VARCHAR(32)  NOT NULL,
  control_variant  VARCHAR(64)  NOT NULL,
  control_share    INT          NOT NULL,
  figures          TEXT         NOT NULL,
  PRIMARY KEY (journey_key, experiment_key)
);
