package dev.overture.delivery.internal;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.delivery.test-send.seed-list.<channel>}: the only addresses (email), numbers (sms) and
 * device tokens (push) a test send may reach, so a preview can never go to a customer by mistake.
 */
@ConfigurationProperties("overture.delivery.test-send")
public record TestSendProperties(Map<String, List<String>> seedList) {

  public TestSendProperties {
    seedList = seedList == null ? Map.of() : Map.copyOf(seedList);
  }

  public List<String> seeds(String channel) {
    return seedList.getOrDefault(channel, List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
