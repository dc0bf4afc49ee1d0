package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.RequestExample;
import dev.overture.profile.Profiles;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Inbound SMS from the provider (authenticated with an API key like every {@code /api} call). A
 * stop keyword (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) revokes SMS consent for marketing and
 * transactional messages, as carriers expect of a STOP reply.
 */
@RestController
@RequestMapping("/api/delivery/sms/inbound")
class SmsInboundController {

  private static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");

  private final Profiles profiles;
  private final Consents consents;
  private final Outcomes outcomes;

  SmsInboundController(Profiles profiles, Consents consents, Outcomes outcomes) {
    this.profiles = profiles;
    this.consents = consents;
    this.outcomes = outcomes;
  }

  record InboundSms(@NotBlank(message = "is required") String from, @NotNull(message = "is required") String text,
      String messageId) {}

  record Handled(String action, @Nullable String profileId) {}

  @Operation(summary = "Provider callback: an inbound SMS (a STOP reply revokes SMS consent)")
  @RequestExample("""
      {"from": "+4915112345678", "text": "STOP", "messageId": "sms-8812"}""")
  @PostMapping
  Handled inbound(@Valid @RequestBody InboundSms sms) {
    if (!STOP.contains(sms.text().trim().toUpperCase(Locale.ROOT))) {
      return new Handled("ignored", null);
    }
    Optional<String> profileId;
    try {
      profileId = profiles.resolve(Map.of("phone", sms.from()));
    } catch (InvalidInput e) {
      // a sender number that is no phone number names no customer
      return new Handled("ignored", null);
    }
    if (profileId.isEmpty()) {
      return new Handled("ignored", null);
    }
    consents.record(profileId.get(), Channel.SMS, Purpose.MARKETING, false, "sms-stop", "sms-provider");
    consents.record(profileId.get(), Channel.SMS, Purpose.TRANSACTIONAL, false, "sms-stop", "sms-provider");
    String reference = sms.messageId() == null || sms.messageId().isBlank() ? UUID.randomUUID().toString() : sms.messageId();
    outcomes.record("sms-inbound-" + reference, profileId.get(), "sms", null, null, "unsubscribed", "STOP reply", null);
    return new Handled("revoked", profileId.get());
  }
}
