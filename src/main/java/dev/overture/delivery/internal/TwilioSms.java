package dev.overture.delivery.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.consent.Channel;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends an SMS through Twilio's Messages API: a form-encoded POST to {@code /2010-04-01/Accounts/{sid}/Messages.json}
 * with HTTP Basic (account SID, auth token), and a status callback URL that names the outbox id. Twilio answers 201
 * with the message's SID. Throttling (429, code 20429) and 5xx are transient, with Twilio's {@code Retry-After};
 * a number Twilio calls invalid or not a mobile (21211, 21614) is a hard bounce; any other 4xx fails the message.
 */
@Component
class TwilioSms {

  private static final Logger log = LoggerFactory.getLogger(TwilioSms.class);
  static final String STATUS_CALLBACK_PATH = "/hooks/twilio/status/";
  /** Error codes that say the number itself cannot take SMS: invalid 'To', not a mobile number. */
  private static final Set<Integer> DEAD_NUMBER = Set.of(21211, 21614);
  private static final int TOO_MANY_REQUESTS = 20429;

  private final ProviderAdapterProperties.Twilio twilio;
  private final DeliveryProperties props;
  private final HttpProvider http;
  private final ObjectMapper json;

  TwilioSms(ProviderAdapterProperties adapters, DeliveryProperties props, HttpProvider http, ObjectMapper json) {
    this.twilio = adapters.twilio();
    this.props = props;
    this.http = http;
    this.json = json;
  }

  void send(String outboxId, String to, String body) throws DeliveryException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("To", to);
    if (twilio.messagingServiceSid() != null && !twilio.messagingServiceSid().isBlank()) {
      form.put("MessagingServiceSid", twilio.messagingServiceSid());
    } else {
      form.put("From", twilio.from());
    }
    form.put("Body", body);
    form.put("StatusCallback", statusCallbackUrl(outboxId));
    String encoded = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    String credentials = Base64.getEncoder()
        .encodeToString((twilio.accountSid() + ":" + twilio.authToken()).getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(twilio.baseUrl() + "/2010-04-01/Accounts/" + twilio.accountSid()
            + "/Messages.json"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + credentials)
        .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response = http.exchange(Channel.SMS, request);
    int status = response.statusCode();
    JsonNode answer = read(response.body());
    if (status < 300) {
      log.debug("sms {} accepted by Twilio as {}", outboxId, answer.path("sid").asText());
      return;
    }
    int code = answer.path("code").asInt(0);
    String reason = "Twilio answered " + status + (code == 0 ? "" : " (error " + code + ")")
        + (answer.hasNonNull("message") ? ": " + answer.path("message").asText() : "");
    boolean throttled = status == 429 || code == TOO_MANY_REQUESTS;
    boolean dead = DEAD_NUMBER.contains(code);
    throw new DeliveryException(reason, throttled || HttpProvider.transientStatus(status), dead, status, null)
        .retryAfter(HttpProvider.retryAfter(response));
  }

  /** Where Twilio reports the message's status: this app's public URL, the outbox id in the path. */
  String statusCallbackUrl(String outboxId) {
    return props.tracking().baseUrl() + STATUS_CALLBACK_PATH + outboxId;
  }

  private JsonNode read(String body) {
    try {
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException notJson) {
      return json.createObjectNode();
    }
  }
}
