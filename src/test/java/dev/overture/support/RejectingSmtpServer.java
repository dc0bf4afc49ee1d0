package dev.overture.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A tiny SMTP server that answers every RCPT TO with {@code 550 5.1.1 user unknown}: a hard bounce.
 * Runs on the test SMTP port while {@link TestMail} is stopped.
 */
public final class RejectingSmtpServer implements AutoCloseable {

  private final ServerSocket socket;
  private final Thread thread;

  public RejectingSmtpServer(int port) {
    try {
      socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(this::serve, "rejecting-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        converse(client);
      } catch (IOException e) {
        // closed, or the client hung up: wait for the next one
      }
    }
  }

  private static void converse(Socket client) throws IOException {
    SmtpConversation.converse(client, "220 rejecting ESMTP", (command, in, out) -> switch (command) {
      case "EHLO", "HELO" -> "250 rejecting";
      case "RCPT" -> "550 5.1.1 user unknown";
      case "DATA" -> "554 5.5.1 no valid recipients";
      default -> "250 OK";
    });
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
