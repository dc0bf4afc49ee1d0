package dev.overture.support;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** One GreenMail SMTP server per test JVM on a free port; tests tell their mail apart by recipient. */
public final class TestMail {

  private static GreenMail greenMail;

  private TestMail() {}

  private static int port;
  private static final Map<String, List<Instant>> arrivals = new ConcurrentHashMap<>();
  private static volatile boolean fileOutbox;

  public static synchronized GreenMail server() {
    if (greenMail == null) {
      // a fixed free port, so a test can stop the server ("SMTP refused") and start it again where the app expects it
      port = freePort();
      greenMail = new GreenMail(setup());
      recordArrivals(greenMail);
      greenMail.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> greenMail.stop(), "test-greenmail-stop"));
    }
    return greenMail;
  }

  /** Stops the SMTP server: connections are refused until {@link #restart()}. */
  public static synchronized void stop() {
    server().stop();
  }

  /** Starts a fresh SMTP server on the same port (earlier messages are gone). */
  public static synchronized void restart() {
    // the port can take a moment to come free after whoever had it last (seen in CI under load: "Address
    // already in use"), so try again for a while instead of failing the test that restarts
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(250))
        .ignoreExceptions().until(() -> {
          GreenMail next = new GreenMail(setup());
          recordArrivals(next);
          try {
            next.start();
          } catch (RuntimeException e) {
            next.stop();
            throw e;
          }
          greenMail = next;
          return true;
        });
  }

  /**
   * Notes when each message reached the server, per recipient: GreenMail delivers to the mailbox after the
   * DATA phase and before its {@code 250 OK}, so the time is when the message left the sender for good.
   */
  private static void recordArrivals(GreenMail server) {
    UserManager users = server.getUserManager();
    MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
    users.setMessageDeliveryHandler((message, to) -> {
      arrivals.computeIfAbsent(to.getEmail().toLowerCase(Locale.ROOT), k -> new CopyOnWriteArrayList<>()).add(Instant.now());
      return deliver.handle(message, to);
    });
  }

  /** When the server received each message for this address, in order of arrival (since this JVM started). */
  public static List<Instant> arrivals(String address) {
    return List.copyOf(arrivals.getOrDefault(address.toLowerCase(Locale.ROOT), List.of()));
  }

  private static ServerSetup setup() {
    ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    setup.setServerStartupTimeout(5000);
    return setup;
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The SMTP host the apps started from now on send to: GreenMail's, or none (the file outbox) after
   * {@link #fileOutboxForNewContexts}, for a benchmark whose SMTP sink must not share the measured cores.
   */
  public static String host() {
    return fileOutbox ? null : "127.0.0.1";
  }

  public static void fileOutboxForNewContexts(boolean on) {
    fileOutbox = on;
  }

  public static int port() {
    server();
    return port;
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

  /** A header of the message, its values joined with commas; empty when it has none. */
  public static String header(MimeMessage m, String name) {
    try {
      String value = m.getHeader(name, ",");
      return value == null ? "" : value;
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first part of this MIME type (text/plain, text/html) anywhere in the message, or null. */
  public static String part(MimeMessage message, String type) throws Exception {
    return message.isMimeType(type) ? message.getContent().toString() : find(message.getContent(), type);
  }

  private static String find(Object content, String type) throws Exception {
    if (content instanceof jakarta.mail.internet.MimeMultipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        var part = multipart.getBodyPart(i);
        if (part.isMimeType(type)) {
          return part.getContent().toString();
        }
        String nested = find(part.getContent(), type);
        if (nested != null) {
          return nested;
        }
      }
    }
    return null;
  }
}
