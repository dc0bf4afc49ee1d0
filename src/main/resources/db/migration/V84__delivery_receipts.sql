-- When a provider reported the message delivered to the handset, device or mailbox (Twilio status callbacks,
-- SES and SendGrid delivery events); the status stays 'sent', which is what Overture did.
ALTER TABLE outbox_message ADD COLUMN delivered_at TIMESTAMP(3) NULL;
