-- The sample journeys' messages name what happened: the abandoned cart's items, quantities, prices,
-- total and a link back to it; the shipped order's number; the store that was entered. Each in
-- English (default) and German; fallbacks cover an event that lacks the value.
INSERT INTO creative (creative_key, version, channel, subject, body_text, body_html, push_title, push_body, fallbacks,
    default_locale, locales, status, created_by, created_at, approved_by, approved_at) VALUES
('cart-reminder', 2, 'email',
 '{{#firstName}}{{firstName}}, {{/firstName}}you left something in your cart',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nyour cart is still waiting for you:\n{{#event.items}}- {{quantity}} × {{name}}: {{#money}}{{price}}{{/money}}\n{{/event.items}}{{#event.value}}Total: {{#money}}{{event.value}}{{/money}}\n{{/event.value}}\nComplete your order: {{event.cartUrl}}\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>your cart is still waiting for you:</p><table>{{#event.items}}<tr><td>{{quantity}} × {{name}}</td><td>{{#money}}{{price}}{{/money}}</td></tr>{{/event.items}}</table>{{#event.value}}<p>Total: <strong>{{#money}}{{event.value}}{{/money}}</strong></p>{{/event.value}}<p><a href="{{event.cartUrl}}">Complete your order</a></p><p>The team</p>',
 NULL, NULL,
 JSON_OBJECT('event.cartUrl', 'https://shop.example.com/cart'),
 'en',
 JSON_OBJECT('de', JSON_OBJECT(
   'subject', '{{#firstName}}{{firstName}}, {{/firstName}}dein Warenkorb wartet auf dich',
   'text', 'Hallo {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}zusammen{{/firstName}},\n\ndein Warenkorb wartet noch auf dich:\n{{#event.items}}- {{quantity}} × {{name}}: {{#money}}{{price}}{{/money}}\n{{/event.items}}{{#event.value}}Summe: {{#money}}{{event.value}}{{/money}}\n{{/event.value}}\nZur Bestellung: {{event.cartUrl}}\n\nDein Team',
   'html', '<p>Hallo {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}zusammen{{/firstName}},</p><p>dein Warenkorb wartet noch auf dich:</p><table>{{#event.items}}<tr><td>{{quantity}} × {{name}}</td><td>{{#money}}{{price}}{{/money}}</td></tr>{{/event.items}}</table>{{#event.value}}<p>Summe: <strong>{{#money}}{{event.value}}{{/money}}</strong></p>{{/event.value}}<p><a href="{{event.cartUrl}}">Jetzt bestellen</a></p><p>Dein Team</p>')),
 'approved', 'seed', CURRENT_TIMESTAMP(3), 'seed', CURRENT_TIMESTAMP(3)),
('order-shipped', 2, 'email',
 'Your order{{#event.orderId}} {{event.orderId}}{{/event.orderId}} is on its way',
 'Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},\n\nyour order{{#event.orderId}} {{event.orderId}}{{/event.orderId}} has shipped and is on its way to you.{{#event.trackingUrl}}\nFollow it: {{event.trackingUrl}}{{/event.trackingUrl}}\n\nThe team',
 '<p>Hi {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}there{{/firstName}},</p><p>your order{{#event.orderId}} <strong>{{event.orderId}}</strong>{{/event.orderId}} has shipped and is on its way to you.</p>{{#event.trackingUrl}}<p><a href="{{event.trackingUrl}}">Follow your parcel</a></p>{{/event.trackingUrl}}<p>The team</p>',
 NULL, NULL, JSON_OBJECT(), 'en',
 JSON_OBJECT('de', JSON_OBJECT(
   'subject', 'Deine Bestellung{{#event.orderId}} {{event.orderId}}{{/event.orderId}} ist unterwegs',
   'text', 'Hallo {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}zusammen{{/firstName}},\n\ndeine Bestellung{{#event.orderId}} {{event.orderId}}{{/event.orderId}} ist verschickt und auf dem Weg zu dir.{{#event.trackingUrl}}\nSendungsverfolgung: {{event.trackingUrl}}{{/event.trackingUrl}}\n\nDein Team',
   'html', '<p>Hallo {{#firstName}}{{firstName}}{{/firstName}}{{^firstName}}zusammen{{/firstName}},</p><p>deine Bestellung{{#event.orderId}} <strong>{{event.orderId}}</strong>{{/event.orderId}} ist verschickt und auf dem Weg zu dir.</p>{{#event.trackingUrl}}<p><a href="{{event.trackingUrl}}">Sendung verfolgen</a></p>{{/event.trackingUrl}}<p>Dein Team</p>')),
 'approved', 'seed', CURRENT_TIMESTAMP(3), 'seed', CURRENT_TIMESTAMP(3)),
('store-welcome-offer', 2, 'push', NULL, NULL, NULL,
 'Welcome to {{event.storeName}}{{#firstName}}, {{firstName}}{{/firstName}}!',
 'Show this message at the till of {{event.storeName}} today for 10% off your purchase.',
 JSON_OBJECT('event.storeName', 'our store'), 'en',
 JSON_OBJECT('de', JSON_OBJECT(
   'pushTitle', 'Willkommen bei {{event.storeName}}{{#firstName}}, {{firstName}}{{/firstName}}!',
   'pushBody', 'Zeig diese Nachricht heute an der Kasse von {{event.storeName}} und spare 10 % auf deinen Einkauf.',
   'fallbacks', JSON_OBJECT('event.storeName', 'uns'))),
 'approved', 'seed', CURRENT_TIMESTAMP(3), 'seed', CURRENT_TIMESTAMP(3));
