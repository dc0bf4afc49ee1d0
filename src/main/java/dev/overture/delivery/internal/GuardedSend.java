package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.consent.SendGuard;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The provider call under the consent module's {@link SendGuard}: one short transaction holds the profile's and
 * the addresses' guard rows shared, re-reads consent and the suppression list as committed now, and stays open
 * until the provider answered. A revocation waits for it and every later send sees the revocation, so a message
 * cannot leave after a revocation was answered, on any node. The batch's earlier reads still decide most
 * messages; this is the last word, and costs one connection held across the call.
 */
@Component
class GuardedSend {

  private static final Logger log = LoggerFactory.getLogger(GuardedSend.class);

  private final SendGuard guard;
  private final TransactionTemplate tx;

  GuardedSend(SendGuard guard, TransactionTemplate tx) {
    this.guard = guard;
    this.tx = tx;
  }

  /** The provider call for the addresses that are left (all of them but the suppressed). */
  interface ProviderCall {
    void send(List<String> addresses) throws DeliveryException;
  }

  /** What came of it: sent (resting on that consent entry) or refused with a reason. */
  record Result(boolean sent, String refusal, Long consentEntryId) {}

  /**
   * Sends to {@code addresses} unless the check under the guard refuses: no consent any more, the profile erased,
   * or (email, SMS) the address or (push) every device token suppressed. Provider failures come as they are.
   */
  Result send(String profileId, Channel channel, Purpose purpose, List<String> addresses, ProviderCall call)
      throws DeliveryException {
    Long[] calledOn = {null};
    boolean[] called = {false};
    try {
      return tx.execute(s -> {
        SendGuard.Check check = guard.hold(profileId, channel, purpose, addresses);
        if (check.erased()) {
          return new Result(false, "profile erased", null);
        }
        if (!check.allowed()) {
          return new Result(false, "no " + purpose.key() + " consent for " + channel.key() + " at send time", null);
        }
        List<String> left = addresses.stream().filter(a -> !check.suppressed().containsKey(a)).toList();
        if (!addresses.isEmpty() && left.isEmpty()) {
          return new Result(false, channel == Channel.PUSH ? "every device token of the profile is on the suppression list"
              : "address is on the suppression list (" + check.suppressed().values().iterator().next() + ")", null);
        }
        called[0] = true;
        calledOn[0] = check.consent().entryId();
        try {
          call.send(left);
        } catch (DeliveryException e) {
          throw new ProviderFailed(e);
        }
        return new Result(true, null, check.consent().entryId());
      });
    } catch (ProviderFailed e) {
      throw e.failure;
    } catch (DataAccessException e) {
      if (called[0]) {
        // the provider took the message; only the guard's commit failed, which released the rows all the same
        log.warn("{} message to profile {} was sent, but the send guard's transaction ended with: {}", channel.key(), profileId,
            e.toString());
        return new Result(true, null, calledOn[0]);
      }
      throw new DeliveryException("the send guard could not be taken: " + e.getMessage(), true, e);
    }
  }

  /** Carries a provider's failure out of the transaction, which it rolls back (there is nothing to roll back but the locks). */
  private static final class ProviderFailed extends RuntimeException {
    private final DeliveryException failure;

    ProviderFailed(DeliveryException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }
}
