package dev.overture.delivery.internal;

import dev.overture.consent.ConsentDecision;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.Creatives;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.Holdout;
import dev.overture.delivery.Holdouts;
import dev.overture.profile.Profile;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.jdbc.core.simple.JdbcClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The dispatcher's holdout rule with the global holdout at 50 %: a held-out profile gets no marketing message from
 * a journey; its transactional messages, marketing sent outside journeys and audience removals go on to the next
 * rule (consent, which here refuses, so the reason shows which rule decided), as every message of a treated profile does.
 */
class HoldoutRuleTest {

  private static final String NOT_HELD_BACK = "(not held back)";

  private final Holdout holdout = Holdouts.at(50, salted("installation-salt"));
  private final DispatchLookups.Reads reads = mock(DispatchLookups.Reads.class);
  private final OutcomeWriter writer = mock(OutcomeWriter.class);
  private final Suppressions suppressions = mock(Suppressions.class);
  private final FrequencyCaps caps = mock(FrequencyCaps.class);
  private final MessageDispatcher dispatcher = new MessageDispatcher(mock(OutboxClaims.class), suppressions, caps,
      mock(ChannelSenders.class), mock(DispatchLookups.class), writer, mock(DeliveryProperties.class), mock(GuardedSend.class),
      new SendRules(holdout, suppressions, mock(Creatives.class), mock(QuietHours.class), caps, mock(RateLimits.class)));

  @Test
  void aHeldOutProfileGetsNoMarketingFromAJourney() {
    assertThat(reasonFor(message(profile(true), "email", "marketing", "pi-1", Map.of())))
        .isEqualTo(SendRules.HOLDOUT_REASON).startsWith("holdout");
  }

  @Test
  void aHeldOutProfilesTransactionalMessagesOutsideJourneyMarketingAndAudienceRemovalsPassTheHoldout() {
    String held = profile(true);
    assertThat(reasonFor(message(held, "email", "transactional", "pi-1", Map.of()))).startsWith("no transactional consent");
    assertThat(reasonFor(message(held, "email", "marketing", null, Map.of()))).startsWith("no marketing consent");
    assertThat(reasonFor(message(held, "audience", "marketing", "pi-1", Map.of("action", "remove"))))
        .as("needs no consent: reaches the rate limit, which defers it").isEqualTo(NOT_HELD_BACK);
  }

  @Test
  void aTreatedProfilesMarketingPassesTheHoldout() {
    assertThat(reasonFor(message(profile(false), "email", "marketing", "pi-1", Map.of()))).startsWith("no marketing consent");
  }

  /** Dispatches the message to its profile, whom consent refuses everything; returns why it was held back. */
  private String reasonFor(Delivery d) {
    when(reads.profile(d.profileId())).thenReturn(Optional.of(
        new Profile(d.profileId(), Map.of("email", "p@example.com"), Map.of(), Instant.now(), Instant.now())));
    when(reads.consent(anyString(), any(), any())).thenReturn(new ConsentDecision(false, null));
    dispatcher.dispatch(d, reads);
    ArgumentCaptor<FinalState> outcome = ArgumentCaptor.forClass(FinalState.class);
    verify(writer, atLeast(0)).submit(outcome.capture());
    Optional<FinalState> heldBack = outcome.getAllValues().stream().filter(f -> f.delivery().id().equals(d.id())).findFirst();
    heldBack.ifPresent(f -> assertThat(f.status()).isEqualTo(Delivery.SUPPRESSED));
    return heldBack.map(FinalState::reason).orElse(NOT_HELD_BACK);
  }

  private String profile(boolean heldOut) {
    String id;
    do {
      id = UUID.randomUUID().toString();
    } while (holdout.contains(id) != heldOut);
    return id;
  }

  private static Delivery message(String profileId, String channel, String purpose, String instanceId, Map<String, Object> params) {
    return new Delivery(UUID.randomUUID().toString(), profileId, channel, purpose, "offer", null, instanceId == null ? null : "journey",
        instanceId, instanceId == null ? null : "Task_Send", Delivery.SENDING, null, null, 1, Instant.now(), Instant.now(), null,
        null, params, null);
  }

  /** A database that holds only the holdout's salt. */
  private static JdbcClient salted(String salt) {
    JdbcClient jdbc = mock(JdbcClient.class, RETURNS_DEEP_STUBS);
    when(jdbc.sql(anyString()).query(String.class).single()).thenReturn(salt);
    return jdbc;
  }
}
