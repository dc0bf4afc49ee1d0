package dev.overture.campaign.internal;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.campaign.*}: what the reviewers see as sample data and legal footer, and the
 * governance settings shown to compliance.
 */
@ConfigurationProperties("overture.campaign")
public record CampaignProperties(Map<String, Object> sampleAttributes,
    String legalFooter, String quietHours, String frequencyCap, String reminderFrom) {

  public CampaignProperties {
    sampleAttributes = sampleAttributes == null ? Map.of("firstName", "Alex") : Map.copyOf(sampleAttributes);
    legalFooter = legalFooter == null ? "" : legalFooter;
    quietHours = quietHours == null ? "not configured" : quietHours;
    frequencyCap = frequencyCap == null ? "not configured" : frequencyCap;
    reminderFrom = reminderFrom == null ? "Overture <no-reply@overture.local>" : reminderFrom;
  }
}
