package dev.overture.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.support.AppTestBase;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths that Tomcat refuses before any filter or controller sees them answer problem+json, never its HTML page. */
class RejectedRequestTest extends AppTestBase {

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/profiles/%00",
      "/api/profiles/a%2Fb",
      "/api/profiles/a%5Cb",
      "/api/profiles/..%2F..%2Fengine-rest",
      "/v1/track%00",
      "/camunda/app/%2F",
  })
  void aPathTheContainerRefusesAnswers400ProblemJson(String path) {
    Response response = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + API_KEY).get(path);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.jsonPath().getString("type")).isEqualTo(ApiProblem.TYPE_BASE + "request-rejected");
    assertThat(response.jsonPath().getInt("status")).isEqualTo(400);
    assertThat(response.asString()).doesNotContain("<html", "Exception", "Apache Tomcat");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/profiles;x=1/abc", "/api/profiles/abc;jsessionid=1"})
  void aPathParameterIsNeverTomcatsHtmlPage(String path) {
    Response response = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + API_KEY).get(path);

    assertThat(response.statusCode()).isBetween(400, 499);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.asString()).doesNotContain("<html", "Exception", "Apache Tomcat");
  }
}
