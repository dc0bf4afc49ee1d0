package dev.overture.event.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Servlet filters of the ingestion endpoints: the body size limit on every event endpoint (reads at
 * most limit + 1 bytes, so an oversized body is refused without being buffered), then the Segment
 * write key on {@code /v1/*}: HTTP Basic with the key as user name (server SDKs), or the
 * {@code writeKey} field of the JSON body (analytics.js sends it there, as text/plain, without preflight).
 * Whether the caller may go on is decided after, by the platform's API filter and its access rules.
 */
@Configuration(proxyBeanMethods = false)
class IngestionFilters {

  @Bean
  FilterRegistrationBean<Filter> segmentWriteKeyAuthentication(SegmentWriteKeys keys, ObjectMapper json) {
    FilterRegistrationBean<Filter> reg = new FilterRegistrationBean<>(new WriteKeyFilter(keys, json));
    reg.addUrlPatterns("/v1/*");
    reg.setName("overtureSegmentWriteKey");
    reg.setOrder(10);
    return reg;
  }

  @Bean
  FilterRegistrationBean<Filter> eventPayloadLimit(EventsProperties props) {
    FilterRegistrationBean<Filter> reg = new FilterRegistrationBean<>(new PayloadLimitFilter(props.maxBatchSize().toBytes()));
    reg.addUrlPatterns("/v1/*", "/api/events", "/api/events/*");
    reg.setName("overtureEventPayloadLimit");
    reg.setOrder(9);
    return reg;
  }

  static final class WriteKeyFilter extends OncePerRequestFilter {

    private final SegmentWriteKeys keys;
    private final ObjectMapper json;

    WriteKeyFilter(SegmentWriteKeys keys, ObjectMapper json) {
      this.keys = keys;
      this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      // browsers may send from any site (the write key is public by design, as with Segment)
      response.setHeader("Access-Control-Allow-Origin", "*");
      // a request without a valid write key goes on to the API filter: an API key may call /v1/* too, and
      // that filter answers 401 or 403 for everything else
      writeKey(request.getHeader("Authorization")).or(() -> bodyWriteKey(request))
          .flatMap(keys::authenticate)
          .ifPresent(name -> Caller.writeKey(request, name));
      chain.doFilter(request, response);
    }

    private Optional<String> bodyWriteKey(HttpServletRequest request) {
      if (!(request instanceof CachedBody cached)) {
        return Optional.empty();
      }
      try {
        JsonNode key = json.readTree(cached.body).path("writeKey");
        return key.isTextual() && !key.asText().isBlank() ? Optional.of(key.asText()) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    private static Optional<String> writeKey(String header) {
      if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return Optional.empty();
      }
      try {
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        return user.isBlank() ? Optional.empty() : Optional.of(user);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  static final class PayloadLimitFilter extends OncePerRequestFilter {

    private final long limit;

    PayloadLimitFilter(long limit) {
      this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if (!"POST".equals(request.getMethod())) {
        chain.doFilter(request, response);
        return;
      }
      byte[] body = request.getContentLengthLong() > limit ? null : request.getInputStream().readNBytes((int) limit + 1);
      if (body == null || body.length > limit) {
        ApiProblem.write(response, 413, "payload-too-large", "Payload too large",
            "A request body may have at most " + limit / 1024 + " KiB (overture.events.max-batch-size)", request.getRequestURI());
        return;
      }
      chain.doFilter(new CachedBody(request, body), response);
    }
  }

  static final class CachedBody extends HttpServletRequestWrapper {

    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      InputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          try {
            return in.available() == 0;
          } catch (IOException e) {
            return true;
          }
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }
}
