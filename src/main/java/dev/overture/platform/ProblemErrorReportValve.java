package dev.overture.platform;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's last word on an error nobody else answered: requests the container refuses before any
 * filter or servlet sees them (a NUL, an encoded slash or backslash in the path). Tomcat's
 * own valve answers those with an HTML page; this one with problem+json like the rest of the API, and,
 * like it, without the exception or the server's version.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known != null ? known.getReasonPhrase() : "Error";
    String detail = status == 400
        ? "The server refused the request line: the path may hold a character it does not accept unescaped or"
            + " escaped (NUL, an encoded slash or backslash)"
        : "The server refused the request (" + title + ")";
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write("""
            {"type":"%srequest-rejected","title":"%s","status":%d,"detail":"%s"}"""
            .formatted(ApiProblem.TYPE_BASE, title, status, detail));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response was committed meanwhile: nothing left to tell
    }
  }
}
