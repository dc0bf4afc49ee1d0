package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.delivery.ActionProperties;
import dev.overture.delivery.ApiCall;
import dev.overture.delivery.ApiCallOutcome;
import dev.overture.delivery.MessageContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of an API call that need no API: the allow-list, the path, Retry-After, the rate limit and templates. */
class ApiCallRulesTest {

  private static final ActionProperties PROPS = new ActionProperties(
      Map.of("loyalty", new ActionProperties.Endpoint("http://127.0.0.1:9/api", Map.of(), null, 5.0)), null, null, null, null, null);

  @Test
  void anEndpointOutsideTheAllowListIsRefusedNamingWhatToConfigure() {
    assertThat(ApiEndpoints.problem("crm", "GET", "/x", PROPS)).hasValueSatisfying(p -> assertThat(p)
        .contains("endpoint 'crm' is not in the allow-list").contains("overture.actions.endpoints.crm.base-url").contains("[loyalty]"));
    assertThat(ApiEndpoints.problem("", "GET", "/x", PROPS)).isPresent();
    assertThat(ApiEndpoints.problem("loyalty", "GET", "/members/{{profileId}}/tier", PROPS)).isEmpty();
  }

  @Test
  void aPathMustStayUnderTheBaseUrl() {
    for (String path : new String[] {"members", "//evil.example.com/x", "/../admin", "/x\\y", "/@evil", "/http://evil"}) {
      assertThat(ApiEndpoints.problem("loyalty", "GET", path, PROPS)).as(path).isPresent();
    }
    assertThat(ApiEndpoints.problem("loyalty", "TRACE", "/x", PROPS)).hasValueSatisfying(p -> assertThat(p).contains("TRACE"));
    assertThat(ApiEndpoints.problem("loyalty", "GET", "/{{#x}}", PROPS)).as("no template").isPresent();
  }

  @Test
  void valuesInAPathAreOneSegmentAndInABodyJsonStringContent() {
    Map<String, Object> root = Templates.root(new MessageContext(Map.of("name", "a/b ?\"c\""), Map.of(), Map.of()), null,
        new Templates.Formats(java.util.Locale.ENGLISH, ZoneOffset.UTC, java.util.Currency.getInstance("EUR")));
    assertThat(ApiTemplates.path("/m/{{name}}", root)).isEqualTo("/m/a%2Fb%20%3F%22c%22");
    assertThat(ApiTemplates.body("{\"n\":\"{{name}}\"}", root)).isEqualTo("{\"n\":\"a/b ?\\\"c\\\"\"}");
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    assertThat(RetryAfter.parse("7")).contains(Duration.ofSeconds(7));
    String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    assertThat(RetryAfter.parse(inAMinute)).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60)));
    assertThat(RetryAfter.parse("soon")).isEmpty();
    assertThat(RetryAfter.parse(null)).isEmpty();
  }

  @Test
  void aCallWithoutARateLimitPermitIsNotMadeAndUsesNoTry() {
    RateLimits limits = mock(RateLimits.class);
    when(limits.acquire(anyString())).thenReturn(false);
    ApiRequests requests = new ApiRequests(PROPS, limits, new ObjectMapper(), new SimpleMeterRegistry());

    ApiCallOutcome outcome = requests.send(new ApiCall("loyalty", "GET", "/x", null, Map.of()),
        new MessageContext(Map.of(), Map.of(), Map.of()), "key-1", 1);

    verify(limits).acquire(ApiEndpoints.bucket("loyalty"));
    assertThat(outcome).isInstanceOfSatisfying(ApiCallOutcome.TryAgain.class, t -> assertThat(t.counts()).isFalse());
  }
}
