package dev.overture.journey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.journey.JourneyVersionProperties;
import dev.overture.support.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Which deployments make drafts, decided against the app's database, where journeys were deployed at its start. */
class DraftDeploymentsTest extends AppTestBase {

  @Autowired DraftDeployments drafts;
  @Autowired JourneyVersionStore store;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
  @Autowired org.camunda.bpm.engine.RepositoryService repository;

  @Test
  void aChangedFileInBpmnAtALaterStartIsADraftWithoutAnAuthor() {
    assertThat(drafts.decide(DraftDeployments.START_UP_DEPLOYMENT, null)).isEqualTo(new DraftDeployments.Decision(true, null));
  }

  @Test
  void anUnchangedFileThatTheStartUpRedeploysBesideAChangedOneStaysLive() throws java.io.IOException {
    var welcome = repository.createProcessDefinitionQuery().processDefinitionKey("welcome").latestVersion().singleResult();
    byte[] bpmn;
    try (var in = repository.getResourceAsStream(welcome.getDeploymentId(), welcome.getResourceName())) {
      bpmn = in.readAllBytes();
    }
    byte[] changed = new String(bpmn, java.nio.charset.StandardCharsets.UTF_8).replace("P2D", "P3D")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(drafts.decide(DraftDeployments.START_UP_DEPLOYMENT, null, "welcome", bpmn).draft()).isFalse();
    assertThat(drafts.decide(DraftDeployments.START_UP_DEPLOYMENT, null, "welcome", changed).draft()).isTrue();
    assertThat(drafts.decide("welcome", "mia", "welcome", changed)).isEqualTo(new DraftDeployments.Decision(true, "mia"));
  }

  @Test
  void aDeploymentByASignedInPersonIsTheirDraft() {
    assertThat(drafts.decide("welcome", "mia")).isEqualTo(new DraftDeployments.Decision(true, "mia"));
  }

  @Test
  void ourApiNamesTheAuthorWhoeverIsSignedIn() {
    assertThat(DraftDeployments.asDraftBy("mia", () -> drafts.decide("welcome", null)))
        .isEqualTo(new DraftDeployments.Decision(true, "mia"));
  }

  @Test
  void withAutoApproveEveryVersionIsLiveAtOnceAndKeepsItsAuthor() {
    DraftDeployments autoApprove = new DraftDeployments(store, jdbc, new JourneyVersionProperties(true), java.time.Clock.systemUTC());

    assertThat(autoApprove.decide("welcome", "mia")).isEqualTo(new DraftDeployments.Decision(false, "mia"));
    assertThat(autoApprove.decide(DraftDeployments.START_UP_DEPLOYMENT, null)).isEqualTo(new DraftDeployments.Decision(false, null));
  }

  @Test
  void aDeploymentInCodeWithoutASignedInUserIsLiveAtOnce() {
    assertThat(drafts.decide("embedded", null)).isEqualTo(new DraftDeployments.Decision(false, null));
  }
}
