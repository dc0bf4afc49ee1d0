-- issue 3 [events]: identity merge, durable correlation queue, Segment write keys, sample creatives.

-- a merged-away profile id stays as an alias of the survivor, so journeys keyed by it still hear its events
CREATE TABLE profile_merge (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  survivor_id CHAR(36)     NOT NULL,
  merged_id   CHAR(36)     NOT NULL,
  reason      VARCHAR(500) NOT NULL,
  merged_at   TIMESTAMP(3) NOT NULL,
  CONSTRAINT uk_merge_merged UNIQUE (merged_id),
  KEY ix_merge_survivor (survivor_id)
);

-- the correlation queue: a stored event is correlated once; processed_at marks it done,
-- claimed_until is the lease of whoever correlates it now, attempts counts failures
ALTER TABLE customer_event
  ADD COLUMN processed_at  TIMESTAMP(3)  NULL,
  ADD COLUMN claimed_until TIMESTAMP(3)  NULL,
  ADD COLUMN attempts      INT           NOT NULL DEFAULT 0,
  ADD COLUMN last_error    VARCHAR(1000) NULL,
  ADD COLUMN source        VARCHAR(16)   NOT NULL DEFAULT 'api',
  ADD KEY ix_event_unprocessed (processed_at, claimed_until);

-- Segment-compatible write keys (HTTP Basic user on /v1/*); only the SHA-256 is stored
CREATE TABLE segment_write_key (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  key_hash    CHAR(64)     NOT NULL,
  created_at  TIMESTAMP(3) NOT NULL,
  revoked_at  TIMESTAMP(3) NULL,
  CONSTRAINT uk_write_key_hash UNIQUE (key_hash)
);

-- creatives of the sample journeys (bpmn/abandoned-cart.bpmn, store-visit.bpmn, post-purchase.bpmn)
INSERT INTO creative (creative_key, version, channel, subject, body_text, body_html, status, created_at) VALUES
('cart-reminder', 1, 'email',
 '{{#firstName}}{{firstName}}, {{/firstName}}you left something in your cart',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nyour cart is still waiting for you. Complete your order whenever you are ready.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>your cart is still waiting for you. Complete your order whenever you are ready.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3)),
('cart-last-call', 1, 'push',
 'Your cart is about to expire',
 'The items in your cart are still reserved for you, but not for long.',
 NULL, 'approved', CURRENT_TIMESTAMP(3)),
('store-welcome-offer', 1, 'push',
 'Welcome in{{#firstName}}, {{firstName}}{{/firstName}}!',
 'Show this message at the till today for 10% off your purchase.',
 NULL, 'approved', CURRENT_TIMESTAMP(3)),
('order-thank-you', 1, 'email',
 'Thank you for your order{{#firstName}}, {{firstName}}{{/firstName}}',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nthank you for your order. We will let you know when it ships.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>thank you for your order. We will let you know when it ships.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3)),
('usage-tips', 1, 'email',
 'Getting the most out of your purchase',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nhere are three tips and a recipe to get the most out of what you bought.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>here are three tips and a recipe to get the most out of what you bought.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3)),
('review-request', 1, 'email',
 'How do you like it{{#firstName}}, {{firstName}}{{/firstName}}?',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\ntwo weeks in: would you tell other customers what you think? It takes a minute.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>two weeks in: would you tell other customers what you think? It takes a minute.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3));

INSERT INTO creative (creative_key, version, channel, subject, body_text, body_html, status, created_at) VALUES
('order-shipped', 1, 'email',
 'Your order is on its way',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nyour order has shipped and is on its way to you.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>your order has shipped and is on its way to you.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3));
