package dev.overture.delivery.internal;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a push provider that answers per device token made of a push: the tokens it reported unregistered, which go on
 * the suppression list once the send guard is released. The generic provider and the file outbox report none.
 */
record PushResult(List<String> unregistered) {

  static final PushResult NONE = new PushResult(List.of());
  private static final Logger log = LoggerFactory.getLogger(PushResult.class);

  PushResult {
    unregistered = List.copyOf(unregistered);
  }

  /**
   * The answers for a push's tokens, one by one. A push that reached one token counts as sent, the dead tokens aside:
   * sending it again for the tokens that failed would repeat it on the others. One that reached none fails with the
   * first failure, or, every token dead, is a hard bounce.
   */
  static final class Tally {
    private final List<String> dead = new ArrayList<>();
    private int sent;
    private DeliveryException failure;

    void sent() {
      sent++;
    }

    void dead(String token) {
      dead.add(token);
    }

    void failed(DeliveryException e) {
      failure = failure == null ? e : failure;
    }

    PushResult result(String provider, String outboxId, int tokens, int deadStatus) throws DeliveryException {
      if (sent > 0) {
        if (failure != null) {
          log.warn("{} push {} reached {} of {} device tokens; not sent again for the rest: {}", provider, outboxId, sent, tokens,
              failure.getMessage());
        }
        return new PushResult(dead);
      }
      if (failure != null) {
        throw failure;
      }
      throw new DeliveryException(provider + " answered " + deadStatus + " for every device token (device token not registered)",
          false, true, deadStatus, null);
    }
  }
}
