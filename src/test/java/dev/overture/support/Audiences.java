package dev.overture.support;

import io.restassured.specification.RequestSpecification;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Audiences for tests against app processes: consenting profiles with an email address written straight
 * into the database the test owns (over the REST API, 500 profiles and their consents took 45 s of the
 * failure tests' three minutes on the CI machine), and a segment of them made through the API.
 */
public final class Audiences {

  private static final int ROWS_PER_INSERT = 100;

  private Audiences() {}

  /** Email of the {@code i}-th member of {@code cohort}. */
  public static String email(String cohort, int i) {
    return cohort + "-" + i + "@example.com";
  }

  /**
   * Writes {@code size} profiles with attribute {@code cohort}, an email address and email marketing
   * consent, as the profile and consent modules write them, and defines the segment {@code cohort} of them
   * through {@code app}; returns the profile ids in order.
   */
  public static List<String> create(AppProcess app, JdbcClient jdbc, String cohort, int size) {
    return create(app::api, jdbc, cohort, size);
  }

  /** {@link #create(AppProcess, JdbcClient, String, int)} against the app that {@code api} calls. */
  public static List<String> create(Supplier<RequestSpecification> api, JdbcClient jdbc, String cohort, int size) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    Timestamp now = Timestamp.from(Instant.now());
    for (int from = 0; from < size; from += ROWS_PER_INSERT) {
      int to = Math.min(size, from + ROWS_PER_INSERT);
      List<Object> profiles = new ArrayList<>();
      List<Object> identities = new ArrayList<>();
      List<Object> consents = new ArrayList<>();
      for (int i = from; i < to; i++) {
        profiles.addAll(List.of(ids.get(i), "{\"cohort\": \"" + cohort + "\", \"firstName\": \"Member" + i + "\"}", now, now));
        identities.addAll(List.of("email", email(cohort, i), ids.get(i), now));
        consents.addAll(List.of(ids.get(i), "email", "marketing", "granted", "test", now));
      }
      int n = to - from;
      jdbc.sql("INSERT INTO profile (id, attributes, created_at, updated_at) VALUES " + rows("(?, ?, ?, ?)", n)).params(profiles).update();
      jdbc.sql("INSERT INTO profile_identity (type, value, profile_id, created_at) VALUES " + rows("(?, ?, ?, ?)", n))
          .params(identities).update();
      jdbc.sql("INSERT INTO consent_entry (profile_id, channel, purpose, status, source, recorded_at) VALUES "
          + rows("(?, ?, ?, ?, ?, ?)", n)).params(consents).update();
    }
    api.get().body(Map.of("key", cohort, "name", "Audience " + cohort, "expression", "cohort = \"" + cohort + "\""))
        .post("/api/segments").then().statusCode(201);
    return ids;
  }

  private static String rows(String row, int n) {
    return String.join(", ", java.util.Collections.nCopies(n, row));
  }

  /** Starts the enrollment of the segment {@code cohort} into {@code journey}; returns its id. */
  public static String enroll(AppProcess app, String journey, String cohort) {
    return app.api().body(Map.of("segmentKey", cohort)).post("/api/journeys/{key}/enrollments", journey)
        .then().statusCode(202).extract().path("id");
  }
}
