package dev.overture.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole app on a random port against its own MariaDB database and the test SMTP server, with
 * production-style (non-dev) credentials, its DataSource wrapped to count statements ({@link StatementCounting}).
 * Test classes extend {@link AppTestBase}. Every app test shares this one Spring context: a class that adds
 * properties, mock beans or auto-configuration of its own gets a second app in the JVM, booted and polling beside
 * the first. Metrics export is on (Spring's tests turn it off unless asked) so that the metrics tests read
 * /actuator/prometheus in the same context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "overture.admin.user=" + AppTestBase.ADMIN,
    "overture.admin.password=" + AppTestBase.ADMIN_PASSWORD,
    "overture.api-key=" + AppTestBase.API_KEY,
    "overture.delivery.poll-interval=100ms",
    "overture.delivery.retry-base=200ms",
    "overture.delivery.outbox-dir=target/test-outbox",
    "camunda.bpm.job-execution.wait-time-in-millis=200",
    "overture.enrollment.chunk-size=20",
    "overture.enrollment.poll-interval=200ms",
    // a test profile's every wait: short, so that walking a journey's three waits stays a few seconds of the suite
    "overture.events.journeys.test-mode-wait=2s",
    // auto-winner rounds only when a test asks for one (WinnerDecisions.decide), so seeded figures decide nothing behind its back
    "overture.experiments.auto-winner-interval=1h",
})
@Import({StatementCounting.class, TestClock.Config.class})
public @interface AppTest {}
