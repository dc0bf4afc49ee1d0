package dev.overture.delivery.internal;

import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Inbound SMS from a generic provider (authenticated with an API key like every {@code /api} call); what a reply
 * changes: {@link SmsReplies}.
 */
@RestController
@RequestMapping("/api/delivery/sms/inbound")
class SmsInboundController {

  private final SmsReplies replies;

  SmsInboundController(SmsReplies replies) {
    this.replies = replies;
  }

  record InboundSms(@NotBlank(message = "is required") String from, @NotNull(message = "is required") String text,
      String messageId) {}

  @Operation(summary = "Provider callback: an inbound SMS (a STOP reply revokes SMS consent, START grants it again)")
  @RequestExample("""
      {"from": "+4915112345678", "text": "STOP", "messageId": "sms-8812"}""")
  @PostMapping
  SmsReplies.Handled inbound(@Valid @RequestBody InboundSms sms) {
    return replies.handle(sms.from(), sms.text(), sms.messageId(), "sms-provider");
  }
}
