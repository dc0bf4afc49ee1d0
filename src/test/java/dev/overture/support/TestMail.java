package dev.overture.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/** One GreenMail SMTP server per test JVM on a free port; tests tell their mail apart by recipient. */
public final class TestMail {

  private static GreenMail greenMail;

  private TestMail() {}

  public static synchronized GreenMail server() {
    if (greenMail == null) {
      greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      greenMail.start();
      Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop, "test-greenmail-stop"));
    }
    return greenMail;
  }

  public static int port() {
    return server().getSmtp().getPort();
  }

  /** Every message GreenMail received for this address. */
  public static List<MimeMessage> to(String address) {
    return Arrays.stream(server().getReceivedMessages())
        .filter(m -> {
          try {
            return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address));
          } catch (MessagingException e) {
            return false;
          }
        })
        .toList();
  }
}
