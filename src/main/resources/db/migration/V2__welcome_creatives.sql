-- The creatives the welcome journey sends. Mustache templates over the profile's attributes.
INSERT INTO creative (creative_key, version, channel, subject, body_text, body_html, status, created_at) VALUES
('welcome', 1, 'email',
 'Welcome{{#firstName}}, {{firstName}}{{/firstName}}!',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nthanks for joining us. Your first order ships free this week.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>thanks for joining us. Your first order ships free this week.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3)),
('welcome-reminder', 1, 'email',
 '{{#firstName}}{{firstName}}, {{/firstName}}your free shipping ends soon',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\na reminder: your first order still ships free. It is a good week to try us.\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>a reminder: your first order still ships free. It is a good week to try us.</p><p>The team</p>',
 'approved', CURRENT_TIMESTAMP(3));
