package dev.overture.journey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.support.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Which deployments make drafts, decided against the app's database, where journeys were deployed at its start. */
class DraftDeploymentsTest extends AppTestBase {

  @Autowired DraftDeployments drafts;

  @Test
  void aChangedFileInBpmnAtALaterStartIsADraftWithoutAnAuthor() {
    assertThat(drafts.decide(DraftDeployments.START_UP_DEPLOYMENT, null)).isEqualTo(new DraftDeployments.Decision(true, null));
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
  void aDeploymentInCodeWithoutASignedInUserIsLiveAtOnce() {
    assertThat(drafts.decide("embedded", null)).isEqualTo(new DraftDeployments.Decision(false, null));
  }
}
