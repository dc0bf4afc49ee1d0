package dev.overture.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The server side of one SMTP conversation, for the small SMTP servers of the tests. */
final class SmtpConversation {

  /** What a server says to one command: the reply line, or null if it wrote its reply itself. */
  interface Answer {
    String to(String command, BufferedReader in, OutputStream out) throws IOException;
  }

  private SmtpConversation() {}

  /** Greets, then answers each command (by its first four letters, upper case) until QUIT or the client hangs up. */
  static void converse(Socket client, String greeting, Answer answer) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = client.getOutputStream();
    reply(out, greeting);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
      if (command.equals("QUIT")) {
        reply(out, "221 bye");
        return;
      }
      String said = answer.to(command, in, out);
      if (said != null) {
        reply(out, said);
      }
    }
  }

  static void reply(OutputStream out, String line) throws IOException {
    synchronized (out) {
      out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }
}
