package dev.overture.delivery.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.platform.ApiProblem;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SendGrid Event Webhook, public like tracking links: the credential is its ECDSA signature
 * ({@code X-Twilio-Email-Event-Webhook-Signature}, SHA-256 with ECDSA over the timestamp header followed by the raw
 * body) checked with the configured verification key. Each event about an email of Overture's (its {@code smtp-id} is
 * our {@code Message-ID}) becomes provider feedback: {@code bounce} a hard bounce, a {@code blocked} bounce a soft one,
 * {@code spamreport} a complaint, {@code delivered} a receipt; the rest is ignored.
 */
@RestController
class SendGridWebhookController {

  static final String SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature";
  static final String TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp";

  private final ProviderFeedback feedback;
  private final ObjectMapper json;
  private final PublicKey key;

  SendGridWebhookController(ProviderFeedback feedback, ObjectMapper json, ProviderAdapterProperties adapters) {
    this.feedback = feedback;
    this.json = json;
    this.key = key(adapters.sendgrid().verificationKey());
  }

  /** How many of the batch's events were recorded and how many were not about a message of Overture's. */
  @Schema(name = "SendGridEventsReceived")
  record Received(int recorded, int ignored) {}

  @Operation(summary = "SendGrid Event Webhook: bounces, spam reports, deliveries (signed with ECDSA)", parameters = {
      @Parameter(in = ParameterIn.HEADER, name = SIGNATURE, required = true, schema = @Schema(type = "string")),
      @Parameter(in = ParameterIn.HEADER, name = TIMESTAMP, required = true, schema = @Schema(type = "string"))})
  @ApiResponse(responseCode = "200", description = "Recorded")
  @ApiResponse(responseCode = "403", description = "The signature is missing or does not match")
  @RequestExample("""
      [{"email": "ada@example.com", "timestamp": 1764842400, "smtp-id": "<6f1c…@overture>", "event": "bounce",
        "type": "bounce", "reason": "550 5.1.1 The email account does not exist", "sg_event_id": "ZHVtbXk"}]""")
  @PostMapping("/hooks/sendgrid")
  Received receive(@RequestHeader(name = SIGNATURE, required = false) String signature,
      @RequestHeader(name = TIMESTAMP, required = false) String timestamp, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json",
          array = @ArraySchema(schema = @Schema(type = "object"),
              arraySchema = @Schema(description = "SendGrid's Event Webhook batch: its events as SendGrid posts them"))))
      @RequestBody(required = false) byte[] body) {
    if (!verified(signature, timestamp, body)) {
      throw new ApiProblem(HttpStatus.FORBIDDEN, "invalid-signature", "Forbidden", key == null
          ? "SendGrid events are not accepted: overture.providers.sendgrid.verification-key is not set"
          : SIGNATURE + " is missing or is not SendGrid's signature of " + TIMESTAMP + " and the body");
    }
    JsonNode events;
    try {
      events = json.readTree(body);
    } catch (IOException e) {
      throw ApiProblem.badRequest("invalid-notification", "the body is not a JSON array of SendGrid events");
    }
    if (events == null || !events.isArray()) {
      throw ApiProblem.badRequest("invalid-notification", "the body is not a JSON array of SendGrid events");
    }
    int recorded = 0;
    int ignored = 0;
    for (JsonNode event : events) {
      if (record(event)) {
        recorded++;
      } else {
        ignored++;
      }
    }
    return new Received(recorded, ignored);
  }

  private boolean record(JsonNode event) {
    String kind = event.path("event").asText();
    ProviderFeedback.Type type = switch (kind) {
      case "bounce" -> "blocked".equals(event.path("type").asText()) ? ProviderFeedback.Type.SOFT_BOUNCE
          : ProviderFeedback.Type.HARD_BOUNCE;
      case "spamreport" -> ProviderFeedback.Type.COMPLAINT;
      case "delivered" -> ProviderFeedback.Type.DELIVERED;
      default -> null;
    };
    Optional<String> outboxId = EmailFeedbackIds.fromMessageId(event.path("smtp-id").asText(null));
    if (type == null || outboxId.isEmpty()) {
      return false;
    }
    String detail = "SendGrid " + kind + (event.hasNonNull("reason") ? ": " + event.path("reason").asText()
        : event.hasNonNull("response") ? ": " + event.path("response").asText() : "");
    return feedback.reportIfKnown(outboxId.get(), type, detail, "sendgrid").isPresent();
  }

  private boolean verified(String signature, String timestamp, byte[] body) {
    if (key == null || signature == null || timestamp == null || body == null) {
      return false;
    }
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initVerify(key);
      ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
      ecdsa.update(body);
      return ecdsa.verify(Base64.getDecoder().decode(signature.trim()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** SendGrid shows the key as base64 of its DER form (a PEM body without the armour lines). */
  private static PublicKey key(String base64) {
    if (base64 == null || base64.isBlank()) {
      return null;
    }
    String der = base64.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(der)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("overture.providers.sendgrid.verification-key is not a base64 EC public key: "
          + e.getMessage(), e);
    }
  }
}
