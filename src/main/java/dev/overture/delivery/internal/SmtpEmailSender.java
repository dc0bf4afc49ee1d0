package dev.overture.delivery.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Email over SMTP with Spring Boot's {@code spring.mail.*} settings. */
class SmtpEmailSender implements EmailSender {

  private final JavaMailSenderImpl mail;

  SmtpEmailSender(JavaMailSenderImpl mail) {
    this.mail = mail;
  }

  @Override
  public void send(OutboundEmail email) throws DeliveryException {
    MimeMessage message;
    try {
      message = MimeEmails.build(mail.getSession(), email);
    } catch (MessagingException | MailParseException | MailPreparationException e) {
      throw new DeliveryException("Email could not be built: " + e.getMessage(), false, e);
    }
    try {
      mail.send(message);
    } catch (MailAuthenticationException e) {
      throw new DeliveryException("SMTP authentication failed: " + e.getMessage(), true, e);
    } catch (MailSendException e) {
      boolean permanent = isPermanent(e);
      throw new DeliveryException("SMTP send failed: " + rootMessage(e), !permanent, permanent, e);
    }
  }

  /** An SMTP 5xx reply for the recipient is permanent; refused connections and 4xx are not. */
  private static boolean isPermanent(MailSendException e) {
    for (Exception failed : e.getFailedMessages().values()) {
      for (Throwable t = failed; t != null; t = t instanceof jakarta.mail.MessagingException m && m.getNextException() != null
          ? m.getNextException() : t.getCause()) {
        if (t instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a && a.getReturnCode() >= 500) {
          return true;
        }
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
