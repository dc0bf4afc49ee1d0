package dev.overture.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = client.getOutputStream();
    reply(out, "220 rejecting ESMTP");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
      switch (command) {
        case "EHLO", "HELO" -> reply(out, "250 rejecting");
        case "RCPT" -> reply(out, "550 5.1.1 user unknown");
        case "QUIT" -> {
          reply(out, "221 bye");
          return;
        }
        case "DATA" -> reply(out, "554 5.5.1 no valid recipients");
        default -> reply(out, "250 OK");
      }
    }
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
