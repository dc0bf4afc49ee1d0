package dev.overture.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/**
 * The SMTP server of the app processes ({@link AppProcess}): a GreenMail of their own, apart from
 * {@link TestMail}, because the process tests run beside the shared context's tests, which stop and restart
 * that one ("SMTP refused") and would lose the emails a process test counts.
 */
public final class ProcessMail {

  private static GreenMail greenMail;

  private ProcessMail() {}

  public static synchronized int port() {
    if (greenMail == null) {
      ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
      setup.setServerStartupTimeout(5000);
      greenMail = new GreenMail(setup);
      greenMail.start();
      Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop, "process-greenmail-stop"));
    }
    return greenMail.getSmtp().getPort();
  }

  /** Every message the app processes sent, in order of arrival. */
  public static List<MimeMessage> received() {
    port();
    return Arrays.asList(greenMail.getReceivedMessages());
  }
}
