package dev.overture.campaign;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Creatives, people and campaigns for the approval tests; everything unique per call. */
public final class CampaignFixtures {

  private CampaignFixtures() {}

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A draft email creative, version 1; returns its key. */
  public static String draftEmailCreative(JdbcClient jdbc, String subject, String text) {
    String key = unique("spring-sale");
    jdbc.sql("""
            INSERT INTO creative (creative_key, version, channel, subject, body_text, body_html, status, created_at)
            VALUES (?, 1, 'email', ?, ?, NULL, 'draft', ?)""")
        .params(key, subject, text, Timestamp.from(Instant.now())).update();
    return key;
  }

  /** A Camunda user with a password equal to its id + "-pw", member of the given groups. */
  public static String user(IdentityService identity, String prefix, String... groups) {
    String id = unique(prefix);
    User user = identity.newUser(id);
    user.setFirstName(prefix);
    user.setLastName("Tester");
    user.setEmail(id + "@example.com");
    user.setPassword(id + "-pw");
    identity.saveUser(user);
    for (String group : groups) {
      identity.createMembership(id, group);
    }
    return id;
  }

  public static NewCampaign campaign(String journeyKey, String profileId, String creativeKey, Instant startAt) {
    return new NewCampaign(unique("spring"), "Spring sale", journeyKey, null, profileId, List.of(creativeKey), startAt,
        startAt.plusSeconds(7 * 24 * 3600), null);
  }
}
