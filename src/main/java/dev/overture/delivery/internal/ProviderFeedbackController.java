package dev.overture.delivery.internal;

import dev.overture.platform.Caller;
import dev.overture.platform.ProblemType;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where a provider's webhook adapter reports bounces and complaints for a message, by its outbox id
 * (the idempotency key the provider got): {@code {type: hard_bounce|soft_bounce|complaint, detail?}}.
 * API key like every {@code /api} call.
 */
@RestController
class ProviderFeedbackController {

  private final ProviderFeedback feedback;

  ProviderFeedbackController(ProviderFeedback feedback) {
    this.feedback = feedback;
  }

  record FeedbackRequest(
      @ProblemType("invalid-feedback-type") @NotBlank(message = "is required: hard_bounce, soft_bounce, complaint or delivered") String type,
      String detail,
      String deviceToken) {}

  @Operation(summary = "Provider callback: a bounce or complaint for a message")
  @ApiResponse(responseCode = "200", description = "Recorded")
  @ApiResponse(responseCode = "404", description = "No delivery with this id")
  @ApiResponse(responseCode = "409", description = "The delivery was not sent")
  @RequestExample("""
      {"type": "hard_bounce", "detail": "550 5.1.1 user unknown"}""")
  @PostMapping("/api/deliveries/{outboxId}/feedback")
  ProviderFeedback.Result report(@PathVariable String outboxId, @Valid @RequestBody FeedbackRequest body, HttpServletRequest request) {
    return feedback.report(outboxId, ProviderFeedback.type(body.type()), body.detail(), body.deviceToken(), Caller.of(request));
  }
}
