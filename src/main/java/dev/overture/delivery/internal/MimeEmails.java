package dev.overture.delivery.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.springframework.mail.javamail.MimeMessageHelper;

/** Builds the MIME message for an email: text and HTML alternatives, our Message-ID. */
final class MimeEmails {

  static {
    // Jakarta Mail 2.1 looks its StreamProvider up through ServiceLoader on every multipart and body
    // part (jakartaee/mail-api#699, #861): jar scans that were the biggest cost of sending (JFR). Named
    // by system property, the provider is found with a plain class lookup instead.
    System.getProperties().putIfAbsent("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
    System.getProperties().putIfAbsent("jakarta.activation.spi.MimeTypeRegistryProvider",
        "org.eclipse.angus.activation.MimeTypeRegistryProviderImpl");
  }

  private MimeEmails() {}

  static MimeMessage build(Session session, OutboundEmail email) throws MessagingException {
    MimeMessage message = new MimeMessage(session) {
      @Override
      protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", email.messageId());
      }
    };
    MimeMessageHelper helper = new MimeMessageHelper(message, email.html() != null, "UTF-8");
    helper.setFrom(email.from());
    helper.setTo(email.to());
    helper.setSubject(email.subject());
    if (email.html() != null) {
      helper.setText(email.text() == null ? "" : email.text(), email.html());
    } else {
      helper.setText(email.text() == null ? "" : email.text());
    }
    message.setHeader("X-Overture-Outbox-Id", email.outboxId());
    if (email.unsubscribeUrl() != null) {
      // RFC 8058: a one-click unsubscribe is a POST of "List-Unsubscribe=One-Click" to this HTTPS URI
      message.setHeader("List-Unsubscribe", "<" + email.unsubscribeUrl() + ">");
      message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }
    return message;
  }

  static Session detachedSession() {
    return Session.getInstance(new Properties());
  }
}
