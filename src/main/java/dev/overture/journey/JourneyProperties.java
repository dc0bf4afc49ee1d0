package dev.overture.journey;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code overture.events.journeys.*}: event properties that narrow correlation when the waiting
 * instance carries them too, and the wait a test profile gets instead of every journey wait.
 */
@ConfigurationProperties("overture.events.journeys")
public record JourneyProperties(
    @DefaultValue({"cartId", "orderId", "ticketId"}) List<String> correlationKeys,
    @DefaultValue("10s") Duration testModeWait) {}
