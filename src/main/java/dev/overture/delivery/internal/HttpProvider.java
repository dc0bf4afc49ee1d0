package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.delivery.ChannelProviders;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * POSTs one JSON message to an HTTP provider with the outbox id as {@code Idempotency-Key}, and
 * sorts failures: 4xx (except 408 and 429) is permanent, 5xx, 408, 429 and I/O errors are transient.
 * A channel routed to the file outbox, and a test profile's message, is written to
 * {@code <outbox dir>/<channel>/<outbox id>.json}; a channel without a provider fails the message.
 */
@Component
class HttpProvider {

  private static final Logger log = LoggerFactory.getLogger(HttpProvider.class);

  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http;
  private final Path outboxDir;
  private final ChannelProviders providers;

  HttpProvider(DeliveryProperties props, ChannelProviders providers) {
    this.providers = providers;
    // the JDK client directly: per message, RestClient's URI templates, converters and observations cost
    // more CPU than the call to a fast provider (dispatch benchmark, docs/performance.md)
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.outboxDir = Path.of(props.outboxDir());
  }

  void post(Channel channel, DeliveryProperties.Provider provider, boolean toFile, String outboxId, String json,
      Map<String, String> headers) throws DeliveryException {
    ChannelProviders.Route route = providers.route(channel);
    if (toFile || route == ChannelProviders.Route.FILE) {
      writeFile(channel.key(), outboxId, json, headers);
      return;
    }
    if (route == ChannelProviders.Route.NONE) {
      throw new DeliveryException(providers.missing(channel).orElse(channel.key() + " has no provider"), false, null);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(provider.url()))
        .timeout(RESPONSE_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", outboxId)
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    headers.forEach(request::setHeader);
    if (provider.token() != null && !provider.token().isBlank()) {
      request.setHeader("Authorization", "Bearer " + provider.token());
    }
    HttpResponse<String> response = exchange(channel, request.build());
    int status = response.statusCode();
    if (status >= 400) {
      String body = response.body() == null ? "" : response.body();
      throw new DeliveryException(channel.key() + " provider answered " + status
          + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(300, body.length()))), transientStatus(status), false, status, null)
          .retryAfter(retryAfter(response));
    }
  }

  /** Whether a provider's HTTP status is worth a retry: 5xx, 408 and 429; any other 4xx fails again as it is. */
  static boolean transientStatus(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  /** One request to a provider; an I/O failure or an interruption is transient. */
  HttpResponse<String> exchange(Channel channel, HttpRequest request) throws DeliveryException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DeliveryException(channel.key() + " provider unreachable: " + e, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException(channel.key() + " provider call interrupted", true, e);
    }
  }

  /** The wait a {@code Retry-After} header asks for, in seconds or as an HTTP date; null without one or unreadable. */
  static Duration retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(HttpProvider::retryAfter).orElse(null);
  }

  static Duration retryAfter(String value) {
    String v = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration wait = Duration.between(java.time.Instant.now(),
            java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (java.time.format.DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private void writeFile(String channel, String outboxId, String json, Map<String, String> headers) throws DeliveryException {
    try {
      Path dir = outboxDir.resolve(channel);
      Files.createDirectories(dir);
      Path target = dir.resolve(outboxId + ".json");
      Path tmp = dir.resolve(outboxId + ".json.tmp");
      Map<String, String> all = new TreeMap<>(headers);
      all.put("Idempotency-Key", outboxId);
      StringBuilder text = new StringBuilder();
      all.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
      text.append('\n').append(json).append('\n');
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.info("{} message {} written to {}", channel, outboxId, target.toAbsolutePath());
    } catch (IOException e) {
      throw new DeliveryException("Could not write to the file outbox: " + e.getMessage(), true, e);
    }
  }
}
