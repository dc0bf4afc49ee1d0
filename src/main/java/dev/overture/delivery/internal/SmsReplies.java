package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.platform.InvalidInput;
import dev.overture.profile.Profiles;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * What a customer's SMS reply changes, whichever provider relays it. A stop keyword (STOP, STOPALL, UNSUBSCRIBE,
 * CANCEL, END, QUIT) revokes SMS consent for marketing and transactional messages, as carriers expect of a STOP
 * reply; a start keyword (START, YES, UNSTOP), which carriers and Twilio treat as opting back in, grants both again.
 * Anything else, or a number that names no customer, changes nothing.
 */
@Component
class SmsReplies {

  private static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
  private static final Set<String> START = Set.of("START", "YES", "UNSTOP");

  private final Profiles profiles;
  private final Consents consents;
  private final Outcomes outcomes;

  SmsReplies(Profiles profiles, Consents consents, Outcomes outcomes) {
    this.profiles = profiles;
    this.consents = consents;
    this.outcomes = outcomes;
  }

  /** What a reply did: {@code revoked}, {@code granted} or {@code ignored}, and for whom. */
  record Handled(String action, @Nullable String profileId) {}

  /** The reply {@code text} from {@code from}; {@code messageId} is the provider's id for it, if any. */
  Handled handle(String from, String text, String messageId, String source) {
    String keyword = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    boolean stop = STOP.contains(keyword);
    if (!stop && !START.contains(keyword)) {
      return new Handled("ignored", null);
    }
    Optional<String> profileId;
    try {
      profileId = profiles.resolve(Map.of("phone", from));
    } catch (InvalidInput e) {
      // a sender number that is no phone number names no customer
      return new Handled("ignored", null);
    }
    if (profileId.isEmpty()) {
      return new Handled("ignored", null);
    }
    String how = stop ? "sms-stop" : "sms-start";
    consents.record(profileId.get(), Channel.SMS, Purpose.MARKETING, !stop, how, source);
    consents.record(profileId.get(), Channel.SMS, Purpose.TRANSACTIONAL, !stop, how, source);
    if (stop) {
      String reference = messageId == null || messageId.isBlank() ? UUID.randomUUID().toString() : messageId;
      outcomes.record("sms-inbound-" + reference, profileId.get(), "sms", null, null, "unsubscribed", "STOP reply", null);
      return new Handled("revoked", profileId.get());
    }
    return new Handled("granted", profileId.get());
  }
}
