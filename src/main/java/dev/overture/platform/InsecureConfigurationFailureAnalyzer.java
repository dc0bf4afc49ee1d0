package dev.overture.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refusal to start with demo or empty credentials as advice, not a stack trace. */
class InsecureConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<CredentialsCheck.InsecureConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, CredentialsCheck.InsecureConfigurationException cause) {
    return new FailureAnalysis("Overture refuses to start with empty or demo credentials.", cause.getMessage(), cause);
  }
}
