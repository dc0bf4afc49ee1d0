package dev.overture.delivery.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.overture.consent.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Push through FCM HTTP v1: one {@code POST /v1/projects/{project}/messages:send} per device token, with an OAuth2
 * access token that Google's auth library gets for the service account (a JWT signed with its key, exchanged at its
 * {@code token_uri}) and refreshes before it expires. {@code UNREGISTERED} (404) and {@code SENDER_ID_MISMATCH} name a
 * token that is dead for us; 429 and 5xx are transient, with FCM's {@code Retry-After}; an expired access token (401)
 * is refreshed and the call made once more. How the tokens' answers add up: {@link PushResult.Tally}.
 */
@Component
class FcmPush {

  private static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

  private final ProviderAdapterProperties.Fcm fcm;
  private final HttpProvider http;
  private final ObjectMapper json;
  private final GoogleCredentials credentials;
  private final String projectId;

  FcmPush(ProviderAdapterProperties adapters, HttpProvider http, ObjectMapper json) {
    this.fcm = adapters.fcm();
    this.http = http;
    this.json = json;
    if (!fcm.configured()) {
      this.credentials = null;
      this.projectId = null;
      return;
    }
    // read at start-up, so that a missing or broken key stops the start rather than every push
    try (InputStream in = Files.newInputStream(Path.of(fcm.serviceAccountFile()))) {
      ServiceAccountCredentials account = ServiceAccountCredentials.fromStream(in);
      this.credentials = account.createScoped(List.of(SCOPE));
      this.projectId = fcm.projectId() != null && !fcm.projectId().isBlank() ? fcm.projectId() : account.getProjectId();
    } catch (IOException e) {
      throw new UncheckedIOException("overture.providers.fcm.service-account-file cannot be read as a service account key", e);
    }
  }

  PushResult send(String outboxId, List<String> tokens, String title, String body, Map<String, String> data)
      throws DeliveryException {
    PushResult.Tally tally = new PushResult.Tally();
    for (String token : tokens) {
      try {
        if (sendOne(token, title, body, data)) {
          tally.sent();
        } else {
          tally.dead(token);
        }
      } catch (DeliveryException e) {
        tally.failed(e);
      }
    }
    return tally.result("FCM", outboxId, tokens.size(), 404);
  }

  /** True when FCM took the message for the token, false when it says the token is dead. */
  private boolean sendOne(String token, String title, String body, Map<String, String> data) throws DeliveryException {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("token", token);
    message.put("notification", Map.of("title", title == null ? "" : title, "body", body == null ? "" : body));
    message.put("data", data);
    String payload = write(Map.of("message", message));
    HttpResponse<String> response = post(payload, false);
    if (response.statusCode() == 401) {
      response = post(payload, true);
    }
    int status = response.statusCode();
    if (status < 300) {
      return true;
    }
    JsonNode error = read(response.body()).path("error");
    String code = "";
    for (JsonNode detail : error.path("details")) {
      code = detail.hasNonNull("errorCode") ? detail.path("errorCode").asText() : code;
    }
    if ("UNREGISTERED".equals(code) || "SENDER_ID_MISMATCH".equals(code) || status == 404 && code.isEmpty()) {
      return false;
    }
    String reason = "FCM answered " + status + " " + error.path("status").asText() + (code.isEmpty() ? "" : "/" + code)
        + (error.hasNonNull("message") ? ": " + error.path("message").asText() : "");
    throw new DeliveryException(reason, HttpProvider.transientStatus(status) || "QUOTA_EXCEEDED".equals(code), false, status, null)
        .retryAfter(HttpProvider.retryAfter(response));
  }

  private HttpResponse<String> post(String payload, boolean refresh) throws DeliveryException {
    String accessToken;
    try {
      if (refresh) {
        credentials.refresh();
      } else {
        credentials.refreshIfExpired();
      }
      accessToken = credentials.getAccessToken().getTokenValue();
    } catch (IOException e) {
      throw new DeliveryException("FCM access token could not be had: " + e.getMessage(), true, e);
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(fcm.baseUrl() + "/v1/projects/" + projectId + "/messages:send"))
        .timeout(fcm.timeout())
        .header("Content-Type", "application/json; charset=UTF-8")
        .header("Authorization", "Bearer " + accessToken)
        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
        .build();
    return http.exchange(Channel.PUSH, request);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode read(String body) {
    try {
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException notJson) {
      return json.createObjectNode();
    }
  }
}
