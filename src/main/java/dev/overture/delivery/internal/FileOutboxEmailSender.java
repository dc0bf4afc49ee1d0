package dev.overture.delivery.internal;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email to files when no SMTP host is configured: one {@code <outbox id>.eml} per message under
 * the outbox directory, written atomically; any mail client opens it.
 */
class FileOutboxEmailSender implements EmailSender {

  private static final Logger log = LoggerFactory.getLogger(FileOutboxEmailSender.class);

  private final Path dir;

  FileOutboxEmailSender(Path dir) {
    this.dir = dir;
  }

  @Override
  public void send(OutboundEmail email) throws DeliveryException {
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve(email.outboxId() + ".eml");
      Path tmp = dir.resolve(email.outboxId() + ".eml.tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        MimeEmails.build(MimeEmails.detachedSession(), email).writeTo(out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.info("Email {} to {} written to {}", email.outboxId(), email.to(), target.toAbsolutePath());
    } catch (IOException e) {
      throw new DeliveryException("Could not write to the file outbox " + dir + ": " + e.getMessage(), true, e);
    } catch (MessagingException e) {
      throw new DeliveryException("Email could not be built: " + e.getMessage(), false, e);
    }
  }
}
