-- Campaigns (issue 6): a journey + audience + creatives + schedule, launched through campaign-launch.bpmn.

CREATE TABLE campaign (
  id                  CHAR(36)      NOT NULL PRIMARY KEY,
  campaign_key        VARCHAR(128)  NOT NULL,
  name                VARCHAR(255)  NOT NULL,
  journey_key         VARCHAR(255)  NOT NULL,
  segment_key         VARCHAR(128)  NULL,
  -- until segment enrollment lands: the single profile a campaign may enroll instead of a segment
  profile_id          CHAR(36)      NULL,
  creative_keys       VARCHAR(2000) NOT NULL,
  start_at            TIMESTAMP(3)  NOT NULL,
  end_at              TIMESTAMP(3)  NOT NULL,
  author              VARCHAR(200)  NOT NULL,
  status              VARCHAR(32)   NOT NULL,
  process_instance_id VARCHAR(64)   NULL,
  enrolled            INT           NOT NULL DEFAULT 0,
  created_at          TIMESTAMP(3)  NOT NULL,
  updated_at          TIMESTAMP(3)  NOT NULL,
  CONSTRAINT uk_campaign_key UNIQUE (campaign_key)
);

-- the audit trail: append-only, one row per decision or step, written in the engine's transaction
CREATE TABLE campaign_audit (
  id                BIGINT AUTO_INCREMENT PRIMARY KEY,
  campaign_id       CHAR(36)      NOT NULL,
  step              VARCHAR(32)   NOT NULL,
  actor             VARCHAR(200)  NOT NULL,
  decision          VARCHAR(32)   NOT NULL,
  creative_versions VARCHAR(2000) NULL,
  comment           VARCHAR(4000) NULL,
  recorded_at       TIMESTAMP(6)  NOT NULL,
  KEY ix_audit_campaign (campaign_id, id),
  CONSTRAINT fk_audit_campaign FOREIGN KEY (campaign_id) REFERENCES campaign (id)
);
