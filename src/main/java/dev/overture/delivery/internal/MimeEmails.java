package dev.overture.delivery.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.activation.FileTypeMap;
import java.util.Properties;
import org.springframework.mail.javamail.ConfigurableMimeFileTypeMap;
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
    MimeMessageHelper helper = new SharedFileTypeMapHelper(message, email.html() != null);
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

  /**
   * Spring's helper builds a new {@code ConfigurableMimeFileTypeMap} (reading mime.types from every
   * jar) for each message that its own mail sender did not create; one map serves every message.
   */
  private static final class SharedFileTypeMapHelper extends MimeMessageHelper {

    private static final FileTypeMap FILE_TYPES = fileTypes();

    SharedFileTypeMapHelper(MimeMessage message, boolean multipart) throws MessagingException {
      super(message, multipart, "UTF-8");
    }

    @Override
    protected FileTypeMap getDefaultFileTypeMap(MimeMessage mimeMessage) {
      return FILE_TYPES;
    }

    private static FileTypeMap fileTypes() {
      ConfigurableMimeFileTypeMap map = new ConfigurableMimeFileTypeMap();
      map.afterPropertiesSet();
      return map;
    }
  }

  /**
   * One session for every message built without an SMTP sender (the file outbox). A session only
   * carries properties here, and building one reads Jakarta Mail's provider and address-map
   * resources from every jar: per message, that was a quarter of the app's CPU at 200 events/s (JFR).
   */
  private static final Session DETACHED = Session.getInstance(new Properties());

  static Session detachedSession() {
    return DETACHED;
  }
}
