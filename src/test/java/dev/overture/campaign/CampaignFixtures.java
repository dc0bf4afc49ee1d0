package dev.overture.campaign;

import dev.overture.delivery.Creative;
import dev.overture.delivery.Creatives;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;

/** Creatives, people and campaigns for the approval tests; everything unique per call. */
public final class CampaignFixtures {

  private CampaignFixtures() {}

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Who writes the fixtures' creatives: nobody who reviews or submits a campaign in the tests. */
  public static final String COPYWRITER = "user:copywriter";

  /** An email creative, version 1, pending approval; returns its key. */
  public static String draftEmailCreative(Creatives creatives, String subject, String text) {
    String key = unique("spring-sale");
    creatives.create(new Creative.Draft(key, "email", subject, null, text, null, null, null, Map.of()), COPYWRITER);
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
