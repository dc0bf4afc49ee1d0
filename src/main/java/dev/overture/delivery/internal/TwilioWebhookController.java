package dev.overture.delivery.internal;

import dev.overture.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's webhooks, public like tracking links: the credential is {@code X-Twilio-Signature}, checked against the
 * auth token over this app's public URL ({@code overture.delivery.tracking.base-url}) and the form parameters. A
 * status callback reports a message delivered, or undelivered (a hard bounce where the number cannot take SMS, else a
 * soft bounce); an inbound message is a customer's reply, whose STOP or START changes SMS consent ({@link SmsReplies}).
 */
@RestController
class TwilioWebhookController {

  /** Twilio error codes of a failed message that say the number is dead, not busy: a hard bounce. */
  private static final Set<String> DEAD_NUMBER = Set.of("21211", "21614", "30005", "30006");
  private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

  private final ProviderFeedback feedback;
  private final SmsReplies replies;
  private final ProviderAdapterProperties.Twilio twilio;
  private final DeliveryProperties props;

  TwilioWebhookController(ProviderFeedback feedback, SmsReplies replies, ProviderAdapterProperties adapters,
      DeliveryProperties props) {
    this.feedback = feedback;
    this.replies = replies;
    this.twilio = adapters.twilio();
    this.props = props;
  }

  /** What a status callback did: the feedback recorded ({@code ignored} for a status on the way) and the delivery's status. */
  record Received(String action, String deliveryStatus) {}

  @Operation(summary = "Twilio status callback for a message (signed with X-Twilio-Signature)",
      parameters = @Parameter(in = ParameterIn.HEADER, name = TwilioSignature.HEADER, required = true, schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "200", description = "Recorded, or a status on the way that changes nothing")
  @ApiResponse(responseCode = "403", description = "The signature is missing or does not match")
  // no "consumes": any other body has no parameters, so it is refused for its signature, not for its type
  @PostMapping(path = TwilioSms.STATUS_CALLBACK_PATH + "{outboxId}")
  Received status(@PathVariable String outboxId, HttpServletRequest request) {
    Map<String, List<String>> params = verified(request);
    String status = first(params, "MessageStatus");
    String error = first(params, "ErrorCode");
    ProviderFeedback.Type type = switch (status == null ? "" : status) {
      case "delivered" -> ProviderFeedback.Type.DELIVERED;
      case "undelivered", "failed" -> DEAD_NUMBER.contains(error) ? ProviderFeedback.Type.HARD_BOUNCE
          : ProviderFeedback.Type.SOFT_BOUNCE;
      default -> null;
    };
    if (type == null) {
      return new Received("ignored", null);
    }
    String detail = "Twilio " + status + (error == null ? "" : " (error " + error + ")");
    ProviderFeedback.Result result = feedback.report(outboxId, type, detail, null, "twilio");
    return new Received(result.type(), result.deliveryStatus());
  }

  @Operation(summary = "Twilio inbound SMS: a customer's reply, STOP or START (signed with X-Twilio-Signature)",
      parameters = @Parameter(in = ParameterIn.HEADER, name = TwilioSignature.HEADER, required = true, schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "200", description = "Handled; an empty TwiML answer, so Twilio replies nothing itself")
  @ApiResponse(responseCode = "403", description = "The signature is missing or does not match")
  @PostMapping(path = "/hooks/twilio/inbound", produces = MediaType.APPLICATION_XML_VALUE)
  ResponseEntity<String> inbound(HttpServletRequest request) {
    Map<String, List<String>> params = verified(request);
    replies.handle(first(params, "From"), first(params, "Body"), first(params, "MessageSid"), "twilio");
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(EMPTY_TWIML);
  }

  /** The request's POST parameters, once its signature is Twilio's; else 403. */
  private Map<String, List<String>> verified(HttpServletRequest request) {
    if (twilio.authToken() == null || twilio.authToken().isBlank()) {
      throw forbidden("Twilio webhooks are not accepted: overture.providers.twilio.auth-token is not set");
    }
    String query = request.getQueryString();
    String url = props.tracking().baseUrl() + request.getRequestURI() + (query == null ? "" : "?" + query);
    Map<String, List<String>> params = bodyParameters(request, query);
    if (!TwilioSignature.valid(twilio.authToken(), url, params, request.getHeader(TwilioSignature.HEADER))) {
      throw forbidden(TwilioSignature.HEADER + " is missing or is not Twilio's signature of " + url + " and its parameters");
    }
    return params;
  }

  /** The form's parameters: the servlet's, less those that came in the query string (which the URL already signs). */
  private static Map<String, List<String>> bodyParameters(HttpServletRequest request, String query) {
    Set<String> inQuery = new TreeSet<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        inQuery.add(URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8));
      }
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    request.getParameterMap().forEach((name, values) -> {
      if (!inQuery.contains(name)) {
        params.put(name, Arrays.asList(values));
      }
    });
    return params;
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
  }

  private static ApiProblem forbidden(String detail) {
    return new ApiProblem(HttpStatus.FORBIDDEN, "invalid-signature", "Forbidden", detail);
  }
}
