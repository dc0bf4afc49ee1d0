package dev.overture.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.consent.Consent;
import dev.overture.consent.Consents;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.experiment.Experiments;
import dev.overture.journey.JourneyRun;
import dev.overture.journey.Journeys;
import dev.overture.platform.NotFound;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import dev.overture.sendtime.SendTimes;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * GDPR access and erasure. The one place that reaches into every module, through their facades:
 * export gathers what each holds about a profile; erase cancels its journeys, removes its personal
 * data everywhere (Camunda's runtime and history included) and leaves an audit row without PII.
 */
@Service
public class Privacy {

  private static final Logger log = LoggerFactory.getLogger(Privacy.class);

  private final Profiles profiles;
  private final Consents consents;
  private final Events events;
  private final Deliveries deliveries;
  private final Journeys journeys;
  private final Experiments experiments;
  private final SendTimes sendTimes;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper json;

  Privacy(Profiles profiles, Consents consents, Events events, Deliveries deliveries, Journeys journeys, Experiments experiments,
      SendTimes sendTimes, JdbcClient jdbc, TransactionTemplate tx, ObjectMapper json) {
    this.sendTimes = sendTimes;
    this.experiments = experiments;
    this.profiles = profiles;
    this.consents = consents;
    this.events = events;
    this.deliveries = deliveries;
    this.journeys = journeys;
    this.jdbc = jdbc;
    this.tx = tx;
    this.json = json;
  }

  /** Everything held about one profile. */
  public record Export(Profile profile, Map<String, List<String>> identities, List<Consent> consents,
      List<Consent> consentHistory, List<CustomerEvent> events, List<Delivery> deliveries, List<JourneyRun> journeys,
      Instant exportedAt) {}

  /** What an erasure removed; the same figures are in the audit row. */
  public record Erased(String profileId, Map<String, Integer> removed, Instant erasedAt) {}

  /** Everything held about the profile (named by its id or an id merged into it), journeys under every such id included. */
  public Export export(String requestedId) {
    Profile profile = profiles.find(requestedId).orElseThrow(() -> new NotFound("profile", "No profile with id " + requestedId));
    String profileId = profile.id();
    return new Export(profile, profiles.allIdentities(profileId), consents.currentOf(profileId), consents.historyOf(profileId),
        events.ofProfile(profileId), deliveries.ofProfile(profileId), journeys.ofProfile(profileId), Instant.now());
  }

  /**
   * Erases the profile in one transaction: journeys cancelled and their journey-log rows deleted, pending
   * messages cancelled and delivery records stripped of addresses, events and the consent ledger
   * deleted, experiment assignments and conversions and the send-time model's rows deleted, then the profile and its identities. Suppressions stay (they hold only hashes). The
   * profile may be named by an id merged into it; journeys under every such id are erased.
   */
  public Erased erase(String requestedId, String requestedBy) {
    String profileId = profiles.canonicalId(requestedId)
        .orElseThrow(() -> new NotFound("profile", "No profile with id " + requestedId));
    Instant now = Instant.now();
    Map<String, Integer> removed = tx.execute(s -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      // under the profile's id and every id merged into it, as its journeys ran
      counts.put("experiments", experiments.erase(journeys.businessKeys(profileId)));
      counts.put("journeys", journeys.erase(profileId));
      counts.put("deliveries", deliveries.erase(profileId));
      counts.put("events", events.erase(profileId));
      counts.put("sendTime", sendTimes.erase(profileId));
      counts.put("consents", consents.erase(profileId));
      counts.put("profile", profiles.erase(profileId) ? 1 : 0);
      jdbc.sql("INSERT INTO erasure_audit (profile_id, requested_by, erased_at, summary) VALUES (?, ?, ?, ?)")
          .params(profileId, requestedBy, Timestamp.from(now), write(counts))
          .update();
      return counts;
    });
    log.info("Profile {} erased by {}: {}", profileId, requestedBy, removed);
    return new Erased(profileId, removed, now);
  }

  private String write(Map<String, Integer> counts) {
    try {
      return json.writeValueAsString(counts);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
