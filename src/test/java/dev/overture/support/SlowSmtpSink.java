package dev.overture.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that accepts every message and answers its end of data only after {@code latency}, as a
 * provider's relay answers over a network; it keeps nothing but a count. GreenMail has no setting for a
 * reply delay, and a benchmark's sink should cost little next to what it measures.
 */
public final class SlowSmtpSink implements AutoCloseable {

  private final ServerSocket socket;
  private final Duration latency;
  private final AtomicInteger received = new AtomicInteger();
  private final ExecutorService connections = Executors.newCachedThreadPool(daemon("slow-smtp"));
  // the accepted reply is written when the latency is over, by a timer, not by a waiting connection thread
  private final ScheduledExecutorService replies = Executors.newScheduledThreadPool(2, daemon("slow-smtp-reply"));

  public SlowSmtpSink(Duration latency) {
    this.latency = latency;
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    connections.execute(this::accept);
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Messages accepted so far. */
  public int received() {
    return received.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        connections.execute(() -> converse(client));
      } catch (IOException e) {
        // closed: the loop ends
      }
    }
  }

  private void converse(Socket client) {
    try (client) {
      SmtpConversation.converse(client, "220 slow-smtp ESMTP", (command, in, out) -> switch (command) {
        case "EHLO", "HELO" -> "250 slow-smtp";
        case "DATA" -> {
          SmtpConversation.reply(out, "354 end with <CRLF>.<CRLF>");
          skipMessage(in);
          received.incrementAndGet();
          replies.schedule(() -> replyQuietly(out, "250 2.0.0 accepted"), latency.toNanos(), TimeUnit.NANOSECONDS);
          yield null;
        }
        default -> "250 OK";
      });
    } catch (IOException e) {
      // the client hung up
    }
  }

  private static void skipMessage(BufferedReader in) throws IOException {
    for (String line = in.readLine(); line != null && !line.equals("."); line = in.readLine()) {
      // the content is not kept
    }
  }

  private static void replyQuietly(OutputStream out, String line) {
    try {
      SmtpConversation.reply(out, line);
    } catch (IOException e) {
      // the client hung up while it waited
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() throws IOException {
    socket.close();
    connections.shutdownNow();
    replies.shutdownNow();
  }
}
