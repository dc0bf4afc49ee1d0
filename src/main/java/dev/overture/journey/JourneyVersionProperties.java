package dev.overture.journey;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code overture.journeys.*}: with {@code auto-approve} every deployed journey version is live at once, without a
 * review (for a developer's own machine; off by default).
 */
@ConfigurationProperties("overture.journeys")
public record JourneyVersionProperties(@DefaultValue("false") boolean autoApprove) {}
