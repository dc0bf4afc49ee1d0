package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.Delivery;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import dev.overture.profile.IdentityType;
import dev.overture.profile.Profiles;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What providers report about a sent message later (SES, SendGrid, Postmark, Twilio style webhooks):
 * a hard bounce marks it {@code bounced} and suppresses the address; a complaint suppresses the
 * address and revokes marketing consent for the channel; a soft bounce is only told to the journey; a delivery
 * receipt sets the message's {@code delivered_at}.
 * For a push the address is the device token the provider reported.
 * Each becomes the outcome event {@code message.bounced | complained | soft_bounced | delivered}. One report per
 * message and kind counts: a repeat changes nothing.
 */
@Component
class ProviderFeedback {

  private static final Logger log = LoggerFactory.getLogger(ProviderFeedback.class);
  static final String SOURCE = "provider-feedback";

  /** The kinds of feedback, as providers' webhooks are mapped onto them. */
  enum Type {
    HARD_BOUNCE("bounced"), SOFT_BOUNCE("soft_bounced"), COMPLAINT("complained"), DELIVERED("delivered");

    private final String outcome;

    Type(String outcome) {
      this.outcome = outcome;
    }

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Type> fromKey(String key) {
      return Arrays.stream(values()).filter(t -> t.key().equals(key)).findFirst();
    }
  }

  /** What the report did: the delivery's status afterwards, and whether it was a repeat (then nothing changed). */
  record Result(String outboxId, String type, String deliveryStatus, boolean duplicate) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final OutboxRecords records;
  private final OutboxClaims claims;
  private final Suppressions suppressions;
  private final Consents consents;
  private final Profiles profiles;
  private final Outcomes outcomes;

  ProviderFeedback(JdbcClient jdbc, TransactionTemplate tx, OutboxRecords records, OutboxClaims claims,
      Suppressions suppressions, Consents consents, Profiles profiles, Outcomes outcomes) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.records = records;
    this.claims = claims;
    this.suppressions = suppressions;
    this.consents = consents;
    this.profiles = profiles;
    this.outcomes = outcomes;
  }

  static Type type(String key) {
    return Type.fromKey(key).orElseThrow(() -> new InvalidInput("invalid-feedback-type",
        "type must be hard_bounce, soft_bounce, complaint or delivered, not '" + key + "'"));
  }

  /**
   * As {@link #report}, for a provider's webhook that reports on every message it carried: one that is not Overture's,
   * or no longer known, is ignored (empty) rather than refused, since the provider would only send it again.
   */
  Optional<Result> reportIfKnown(String outboxId, Type type, String detail, String reportedBy) {
    if (records.find(outboxId).isEmpty()) {
      log.debug("{} from {} for unknown message {} ignored", type.key(), reportedBy, outboxId);
      return Optional.empty();
    }
    return Optional.of(report(outboxId, type, detail, null, reportedBy));
  }

  Result report(String outboxId, Type type, String detail, String deviceToken, String reportedBy) {
    Delivery d = records.find(outboxId).orElseThrow(() -> new NotFound("delivery", "No delivery with id " + outboxId));
    // a receipt may overtake the outcome writer, which has the row still sending for a moment
    boolean sent = Delivery.SENT.equals(d.status()) || Delivery.BOUNCED.equals(d.status())
        || type == Type.DELIVERED && Delivery.SENDING.equals(d.status());
    if (!sent) {
      throw new Conflict("delivery-not-sent", "Delivery " + outboxId + " is " + d.status()
          + ": only a message that reached the provider can bounce or be complained about");
    }
    Channel channel = Channel.fromKey(d.channel()).orElseThrow();
    List<String> addresses = addresses(d, channel, deviceToken);
    String reason = reason(type, detail);
    boolean applied = Boolean.TRUE.equals(tx.execute(s -> {
      try {
        jdbc.sql("INSERT INTO delivery_feedback (outbox_id, type, reported_by, received_at) VALUES (?, ?, ?, ?)")
            .params(outboxId, type.key(), reportedBy, Timestamp.from(Instant.now())).update();
      } catch (DuplicateKeyException repeat) {
        // the provider reported it before; only the statement is undone
        return false;
      }
      switch (type) {
        case HARD_BOUNCE -> {
          claims.markBounced(outboxId, reason);
          addresses.forEach(a -> suppressions.suppress(channel, a, Suppressions.Reason.HARD_BOUNCE, SOURCE));
        }
        case COMPLAINT -> {
          addresses.forEach(a -> suppressions.suppress(channel, a, Suppressions.Reason.COMPLAINT, SOURCE));
          if (profiles.exists(d.profileId())) {
            consents.record(d.profileId(), channel, Purpose.MARKETING, false, "complaint", reportedBy);
          }
        }
        case DELIVERED -> jdbc.sql("UPDATE outbox_message SET delivered_at = ? WHERE id = ?")
            .params(Timestamp.from(Instant.now()), outboxId).update();
        case SOFT_BOUNCE -> { }
      }
      return true;
    }));
    Delivery after = records.find(outboxId).orElseThrow();
    if (profiles.exists(after.profileId())) {
      // also on a repeat: the event id is outbox id + outcome, so this only fills in an event a crash lost
      outcomes.record(after, type.outcome, reason);
    }
    if (applied) {
      log.info("{} reported for {} message {} by {}", type.key(), channel.key(), outboxId, reportedBy);
    }
    return new Result(outboxId, type.key(), after.status(), !applied);
  }

  /**
   * The addresses the report is about: the recipient of an email or SMS; for a push the device token
   * the provider named, or the one token the push can have gone to. None for channels without one.
   */
  private List<String> addresses(Delivery d, Channel channel, String deviceToken) {
    return switch (channel) {
      case EMAIL, SMS -> d.recipient() == null ? List.of() : List.of(d.recipient());
      case PUSH -> {
        if (deviceToken != null && !deviceToken.isBlank()) {
          yield List.of(deviceToken.trim());
        }
        List<String> live = suppressions.unsuppressed(Channel.PUSH, profiles.identities(d.profileId(), IdentityType.DEVICE_TOKEN));
        if (live.size() > 1) {
          throw new InvalidInput("device-token-required", "This push went to " + live.size()
              + " device tokens: name the one the provider reported as deviceToken");
        }
        yield live;
      }
      default -> List.of();
    };
  }

  private static String reason(Type type, String detail) {
    String what = type.key().replace('_', ' ') + " reported by the provider";
    if (detail == null || detail.isBlank()) {
      return what;
    }
    String trimmed = detail.strip();
    return what + ": " + (trimmed.length() > 500 ? trimmed.substring(0, 500) : trimmed);
  }
}
