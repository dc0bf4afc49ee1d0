package dev.overture.delivery.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The outbox id in an email's {@code Message-ID} ({@code <outboxId@overture>}), as ESPs report it back. */
final class EmailFeedbackIds {

  private static final Pattern MESSAGE_ID = Pattern.compile("<?([0-9a-fA-F-]{36})@overture>?");

  private EmailFeedbackIds() {}

  static Optional<String> fromMessageId(String messageId) {
    if (messageId == null) {
      return Optional.empty();
    }
    Matcher m = MESSAGE_ID.matcher(messageId.trim());
    return m.matches() ? Optional.of(m.group(1).toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
  }
}
