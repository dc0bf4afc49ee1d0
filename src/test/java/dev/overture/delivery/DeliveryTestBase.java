package dev.overture.delivery;

import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.delivery.internal.OutboxClaims;
import dev.overture.support.AppTestBase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Helpers for delivery tests: approved creatives, profiles with phone and device, waiting for an outcome. */
abstract class DeliveryTestBase extends AppTestBase {

  static final Origin TEST_ORIGIN = new Origin("test", null, null);

  @Autowired
  protected Deliveries deliveries;

  @Autowired
  protected Creatives creatives;

  @Autowired
  protected OutboxClaims outbox;

  @Autowired
  protected JdbcClient jdbc;

  @Autowired
  protected IdentityService identityService;

  protected static String uniqueKey(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  protected static String uniquePhone() {
    return "+4915" + String.format("%09d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
  }

  /** A creative on all four content channels, approved by a second person. */
  protected String approvedCreative(String name) {
    String key = uniqueKey(name);
    for (Channel channel : new Channel[] {Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.WEBHOOK}) {
      Creative c = creatives.create(new Creative.Draft(key, channel.key(), "Hello {{firstName}}",
          "<p>Hi {{firstName}}, see <a href=\"https://shop.example.com/offer?x=1\">the offer</a></p>",
          "Hi {{firstName}}, see https://shop.example.com/offer", "Hi {{firstName}}, 20% off today",
          "Hi {{firstName}}", "20% off today", Map.of("firstName", "there")), "user:author");
      creatives.approve(key, channel.key(), c.version(), "user:approver");
    }
    return key;
  }

  protected String profile(Map<String, String> identities, Map<String, Object> attributes) {
    return api().body(Map.of("identities", identities, "attributes", attributes))
        .post("/api/profiles").then().statusCode(201).extract().path("id");
  }

  /** A profile with these device tokens, oldest first (the order a push lists them in). */
  protected String profileWithTokens(String first, String second) {
    String externalId = "ext-" + UUID.randomUUID();
    String id = profile(Map.of("externalId", externalId, "deviceToken", first), Map.of());
    api().body(Map.of("identities", Map.of("externalId", externalId, "deviceToken", second))).post("/api/profiles")
        .then().statusCode(200);
    return id;
  }

  protected String send(String profileId, Channel channel, Purpose purpose, String creativeKey) {
    return deliveries.enqueue(profileId, channel, purpose, creativeKey, TEST_ORIGIN);
  }

  protected Delivery awaitFinal(String outboxId) {
    return await().atMost(Duration.ofSeconds(30))
        .until(() -> deliveries.find(outboxId).orElseThrow(), d -> !d.status().equals("pending") && !d.status().equals("sending"));
  }

  protected void ensureUserInGroup(String userId, String password, String... groupIds) {
    for (String groupId : groupIds) {
      if (identityService.createGroupQuery().groupId(groupId).count() == 0) {
        var group = identityService.newGroup(groupId);
        group.setName(groupId);
        identityService.saveGroup(group);
      }
    }
    if (identityService.createUserQuery().userId(userId).count() == 0) {
      User user = identityService.newUser(userId);
      user.setPassword(password);
      identityService.saveUser(user);
      for (String groupId : groupIds) {
        identityService.createMembership(userId, groupId);
      }
    }
  }

}
