package dev.overture.delivery.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.platform.ApiProblem;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Amazon SES feedback through an SNS topic's HTTPS subscription, public like tracking links: the credential is the
 * SNS signature ({@link SnsMessages}). A subscription confirmation is confirmed; a notification's SES message
 * (notification or event publishing) becomes provider feedback for the email whose {@code Message-ID} it names: a
 * permanent bounce a hard bounce, any other bounce a soft one, a complaint a complaint, a delivery a receipt.
 */
@RestController
class SesWebhookController {

  private static final Logger log = LoggerFactory.getLogger(SesWebhookController.class);

  private final SnsMessages sns;
  private final ProviderFeedback feedback;
  private final ObjectMapper json;

  SesWebhookController(SnsMessages sns, ProviderFeedback feedback, ObjectMapper json) {
    this.sns = sns;
    this.feedback = feedback;
    this.json = json;
  }

  /** What the message did: {@code subscribed}, the feedback type recorded, or {@code ignored}. */
  @Schema(name = "SesNotificationReceived")
  record Received(String action, @Nullable String outboxId) {}

  @Operation(summary = "Amazon SNS delivery of SES feedback: bounce, complaint, delivery (SNS signature)")
  @ApiResponse(responseCode = "200", description = "Confirmed, recorded, or not about a message of Overture's")
  @ApiResponse(responseCode = "403", description = "Not signed by SNS for a configured topic")
  @RequestExample("""
      {"Type": "Notification", "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
       "TopicArn": "arn:aws:sns:eu-west-1:123456789012:overture-ses-feedback",
       "Message": "{\\"notificationType\\":\\"Bounce\\",\\"bounce\\":{\\"bounceType\\":\\"Permanent\\"},\\"mail\\":{\\"commonHeaders\\":{\\"messageId\\":\\"<6f1c…@overture>\\"}}}",
       "Timestamp": "2026-12-04T10:00:00.000Z", "SignatureVersion": "1", "Signature": "EXAMPLEpH+…",
       "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000.pem"}""")
  @PostMapping("/hooks/ses")
  Received receive(@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
      mediaType = "application/json", schema = @Schema(type = "object", description = "An SNS message: a subscription "
          + "confirmation or a notification whose Message is SES's bounce, complaint or delivery JSON"))) @RequestBody String body) {
    JsonNode message = read(body, "the body is not an SNS message (JSON)");
    Optional<String> refusal = sns.refusal(message);
    if (refusal.isPresent()) {
      throw new ApiProblem(HttpStatus.FORBIDDEN, "invalid-signature", "Forbidden", "Not accepted as SNS's: " + refusal.get());
    }
    switch (message.path("Type").asText()) {
      case "SubscriptionConfirmation" -> {
        try {
          sns.confirm(message);
        } catch (IOException e) {
          throw new ApiProblem(HttpStatus.BAD_GATEWAY, "subscription-not-confirmed", "Bad gateway", e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "subscription-not-confirmed", "Unavailable", "interrupted");
        }
        log.info("SNS subscription to {} confirmed", message.path("TopicArn").asText());
        return new Received("subscribed", null);
      }
      case "Notification" -> {
        return notification(read(message.path("Message").asText(), "the notification's Message is not SES's JSON"));
      }
      default -> {
        return new Received("ignored", null);
      }
    }
  }

  private Received notification(JsonNode ses) {
    String kind = ses.hasNonNull("notificationType") ? ses.path("notificationType").asText() : ses.path("eventType").asText();
    ProviderFeedback.Type type;
    String detail;
    switch (kind) {
      case "Bounce" -> {
        JsonNode bounce = ses.path("bounce");
        type = "Permanent".equals(bounce.path("bounceType").asText()) ? ProviderFeedback.Type.HARD_BOUNCE
            : ProviderFeedback.Type.SOFT_BOUNCE;
        JsonNode recipient = bounce.path("bouncedRecipients").path(0);
        detail = "SES " + bounce.path("bounceType").asText() + "/" + bounce.path("bounceSubType").asText()
            + (recipient.hasNonNull("diagnosticCode") ? ": " + recipient.path("diagnosticCode").asText() : "");
      }
      case "Complaint" -> {
        type = ProviderFeedback.Type.COMPLAINT;
        detail = "SES complaint" + (ses.path("complaint").hasNonNull("complaintFeedbackType")
            ? ": " + ses.path("complaint").path("complaintFeedbackType").asText() : "");
      }
      case "Delivery" -> {
        type = ProviderFeedback.Type.DELIVERED;
        detail = "SES delivery" + (ses.path("delivery").hasNonNull("smtpResponse") ? ": " + ses.path("delivery").path("smtpResponse").asText() : "");
      }
      default -> {
        return new Received("ignored", null);
      }
    }
    Optional<String> outboxId = EmailFeedbackIds.fromMessageId(messageId(ses.path("mail")));
    if (outboxId.isEmpty()) {
      return new Received("ignored", null);
    }
    return feedback.reportIfKnown(outboxId.get(), type, detail, "ses")
        .map(r -> new Received(r.type(), r.outboxId())).orElse(new Received("ignored", outboxId.get()));
  }

  /** The email's own Message-ID: in the common headers, else among the headers SES includes. */
  private static String messageId(JsonNode mail) {
    if (mail.path("commonHeaders").hasNonNull("messageId")) {
      return mail.path("commonHeaders").path("messageId").asText();
    }
    for (JsonNode header : mail.path("headers")) {
      if ("Message-ID".equalsIgnoreCase(header.path("name").asText())) {
        return header.path("value").asText();
      }
    }
    return null;
  }

  private JsonNode read(String text, String problem) {
    try {
      JsonNode node = json.readTree(text == null ? "" : text);
      if (node == null || !node.isObject()) {
        throw ApiProblem.badRequest("invalid-notification", problem);
      }
      return node;
    } catch (IOException e) {
      throw ApiProblem.badRequest("invalid-notification", problem);
    }
  }
}
