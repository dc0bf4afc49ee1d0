package dev.overture.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;

/** Journeys kept under src/test/resources/test-journeys/, deployed under a fresh key (their process id reads JOURNEY_KEY). */
public final class TestJourneys {

  private TestJourneys() {}

  /** The resource's BPMN with {@code JOURNEY_KEY} replaced by a fresh key starting with {@code prefix}. */
  public static Keyed xml(String resource, String prefix) {
    String key = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (InputStream in = TestJourneys.class.getResourceAsStream("/test-journeys/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test journey " + resource);
      }
      return new Keyed(key, new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("JOURNEY_KEY", key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deploys the resource under a fresh key through the engine's RepositoryService; returns the key. */
  public static String deploy(RepositoryService repository, String resource, String prefix) {
    Keyed journey = xml(resource, prefix);
    repository.createDeployment().addString(journey.key() + ".bpmn", journey.bpmn()).deploy();
    return journey.key();
  }

  /** A journey's key and its BPMN. */
  public record Keyed(String key, String bpmn) {}
}
