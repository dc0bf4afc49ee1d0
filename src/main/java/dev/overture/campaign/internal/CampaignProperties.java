package dev.overture.campaign.internal;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.campaign.*}: what the reviewers see as sample data and legal footer, and who
 * reminder emails come from. The governance settings shown to compliance come from the dispatcher's own.
 */
@ConfigurationProperties("overture.campaign")
public record CampaignProperties(Map<String, Object> sampleAttributes,
    String legalFooter, String reminderFrom) {

  public CampaignProperties {
    sampleAttributes = sampleAttributes == null ? Map.of("firstName", "Alex") : Map.copyOf(sampleAttributes);
    legalFooter = legalFooter == null ? "" : legalFooter;
    reminderFrom = reminderFrom == null ? "Overture <no-reply@overture.local>" : reminderFrom;
  }
}
