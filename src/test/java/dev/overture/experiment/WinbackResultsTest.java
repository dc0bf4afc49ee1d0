package dev.overture.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.delivery.Delivery;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import dev.overture.journey.Journeys;
import dev.overture.profile.Profiles;
import dev.overture.support.AppTestBase;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Seeded data counted by hand: profiles enter winback, every third one buys, and the results endpoint must give
 * the same profiles, conversions, revenue and attribution per variant, and the p-value the library gives for the
 * hand-counted table.
 */
class WinbackResultsTest extends AppTestBase {

  private static final int PROFILES = 120;

  @Autowired RuntimeService runtime;
  @Autowired Journeys journeys;
  @Autowired Profiles profiles;
  @Autowired Consents consents;
  @Autowired Events events;
  @Autowired Deliveries deliveries;

  /** What one arm should show, counted here. */
  private static final class Arm {
    long profiles;
    long conversions;
    BigDecimal revenue = BigDecimal.ZERO;
  }

  @Test
  void theResultsEqualAHandCountPerVariant() {
    Instant start = Instant.now();
    Map<String, Arm> arms = new HashMap<>();
    List<String> converters = new ArrayList<>();
    List<String> variants = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < PROFILES; i++) {
      String id = profiles.upsert(Map.of("email", "wb-" + UUID.randomUUID() + "@example.com"), Map.of("firstName", "Lee"))
          .profile().id();
      consents.record(id, Channel.EMAIL, Purpose.MARKETING, true, "test", "test");
      // through Overture's entry, as REST and campaigns enter: the entry row, the re-entry rule, the instance
      String instance = journeys.enter("winback", id, Map.of(), null).entry().processInstanceId();
      ids.add(id);
      variants.add((String) runtime.getVariable(instance, "variant"));
    }
    // the offers must have gone out before the purchases, or they would touch nothing
    await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
        .allMatch(id -> deliveries.ofProfile(id).stream().allMatch(d -> Delivery.SENT.equals(d.status()))));

    for (int i = 0; i < PROFILES; i++) {
      Arm arm = arms.computeIfAbsent(variants.get(i), v -> new Arm());
      arm.profiles++;
      if (i % 3 == 0) {
        BigDecimal value = BigDecimal.valueOf(10 + i);
        purchase(ids.get(i), value);
        arm.conversions++;
        arm.revenue = arm.revenue.add(value);
        converters.add(ids.get(i));
      }
    }
    // a second purchase is no second conversion
    purchase(converters.get(0), BigDecimal.TEN);

    // decimals as doubles, not JsonPath's default floats: rates and p-values are compared to 1e-9
    JsonPath results = JsonPath.from(api().queryParam("from", start.toString()).get("/api/journeys/winback/results")
        .then().statusCode(200).extract().asString()).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));

    assertThat(results.getString("goal.eventType")).isEqualTo("purchase.completed");
    assertThat(results.getString("goal.window")).isEqualTo("P14D");
    assertThat(results.getLong("entered")).isEqualTo(PROFILES);
    assertThat(results.getLong("conversions")).isEqualTo(converters.size());
    BigDecimal revenue = arms.values().stream().map(a -> a.revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(new BigDecimal(results.getString("revenue"))).isEqualByComparingTo(revenue);
    assertThat(results.getList("daily.conversions", Long.class).stream().mapToLong(Long::longValue).sum())
        .isEqualTo(converters.size());

    Map<String, Object> a = message(results, "Task_SendOfferA");
    assertThat(((Number) a.get("lastTouch")).longValue()).isEqualTo(arms.get("A").conversions);
    assertThat(((Number) a.get("anyTouch")).longValue()).isEqualTo(arms.get("A").conversions);
    assertThat(new BigDecimal(a.get("revenue").toString())).isEqualByComparingTo(arms.get("A").revenue);
    assertThat(((Number) message(results, "Task_SendOfferB").get("lastTouch")).longValue()).isEqualTo(arms.get("B").conversions);
    assertThat(results.getList("byMessage.elementId", String.class)).containsOnly("Task_SendOfferA", "Task_SendOfferB");

    Map<String, Object> wonBack = results.getMap("byEndEvent.find { it.elementId == 'EndEvent_WonBack' }");
    assertThat(((Number) wonBack.get("reached")).longValue()).isEqualTo(converters.size());
    assertThat(((Number) wonBack.get("converted")).longValue()).isEqualTo(converters.size());

    assertThat(results.getList("experiments.experimentKey", String.class)).containsExactly("winback-offer");
    assertThat(results.getString("experiments[0].elementId")).isEqualTo("Task_Split");
    assertThat(results.getInt("experiments[0].minimumSample")).isEqualTo(100);
    assertThat(results.getList("experiments[0].variants.variant", String.class)).containsExactly("A", "B", "control");
    Arm control = arms.get("control");
    for (String name : List.of("A", "B", "control")) {
      Arm arm = arms.get(name);
      Map<String, Object> v = results.getMap("experiments[0].variants.find { it.variant == '" + name + "' }");
      assertThat(((Number) v.get("profiles")).longValue()).as(name + " profiles").isEqualTo(arm.profiles);
      assertThat(((Number) v.get("conversions")).longValue()).as(name + " conversions").isEqualTo(arm.conversions);
      assertThat(((Number) v.get("rate")).doubleValue()).isCloseTo((double) arm.conversions / arm.profiles, within(1e-9));
      assertThat(v.get("control")).isEqualTo(name.equals("control"));
      if (name.equals("control")) {
        assertThat(v.get("pValue")).isNull();
        assertThat(v.get("lift")).isNull();
      } else {
        double expected = new ChiSquareTest().chiSquareTest(new long[][] {
            {arm.conversions, arm.profiles - arm.conversions}, {control.conversions, control.profiles - control.conversions}});
        assertThat(((Number) v.get("pValue")).doubleValue()).as(name + " p-value").isCloseTo(expected, within(1e-9));
      }
    }
    // fewer than 100 profiles per arm: no winner, however the rates fall
    assertThat(results.getString("experiments[0].winner")).isNull();
    assertThat(results.getDouble("holdout.percent")).isZero();
    assertThat(results.getLong("holdout.profiles")).isZero();
  }

  private void purchase(String profileId, BigDecimal value) {
    events.ingest(new CustomerEvent(UUID.randomUUID().toString(), "purchase.completed", profileId, Instant.now(),
        Map.of("value", value)));
  }

  private static Map<String, Object> message(JsonPath results, String elementId) {
    return results.getMap("byMessage.find { it.elementId == '" + elementId + "' }");
  }
}
