package dev.overture.delivery.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * POSTs one JSON message to an HTTP provider with the outbox id as {@code Idempotency-Key}, and
 * sorts failures: 4xx (except 408 and 429) is permanent, 5xx, 408, 429 and I/O errors are transient.
 * Without a URL the request is written to {@code <outbox dir>/<channel>/<outbox id>.json}.
 */
@Component
class HttpProvider {

  private static final Logger log = LoggerFactory.getLogger(HttpProvider.class);

  private final RestClient client;
  private final Path outboxDir;

  HttpProvider(DeliveryProperties props) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
    factory.setReadTimeout(Duration.ofSeconds(20));
    this.client = RestClient.builder().requestFactory(factory).build();
    this.outboxDir = Path.of(props.outboxDir());
  }

  void post(String channel, DeliveryProperties.Provider provider, boolean toFile, String outboxId, String json,
      Map<String, String> headers) throws DeliveryException {
    if (toFile || !provider.configured()) {
      writeFile(channel, outboxId, json, headers);
      return;
    }
    try {
      client.post().uri(provider.url())
          .contentType(MediaType.APPLICATION_JSON)
          .header("Idempotency-Key", outboxId)
          .headers(h -> {
            headers.forEach(h::set);
            if (provider.token() != null && !provider.token().isBlank()) {
              h.setBearerAuth(provider.token());
            }
          })
          .body(json.getBytes(StandardCharsets.UTF_8))
          .retrieve()
          .toBodilessEntity();
    } catch (RestClientResponseException e) {
      int status = e.getStatusCode().value();
      boolean transientFailure = status >= 500 || status == 408 || status == 429;
      String body = e.getResponseBodyAsString();
      throw new DeliveryException(channel + " provider answered " + status
          + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(300, body.length()))), transientFailure, false, status, e);
    } catch (ResourceAccessException e) {
      throw new DeliveryException(channel + " provider unreachable: " + e.getMessage(), true, e);
    } catch (RestClientException e) {
      throw new DeliveryException(channel + " provider call failed: " + e.getMessage(), true, e);
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
