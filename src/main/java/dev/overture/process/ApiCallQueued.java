package dev.overture.process;

import dev.overture.platform.AfterCommit;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * The start listener of a "Call an API" step: once the transaction that reached the step has committed (so its
 * external task can be fetched), the worker looks at once instead of at its next poll.
 */
@Component("apiCallQueued")
class ApiCallQueued implements ExecutionListener {

  private final CallApiWorker worker;

  ApiCallQueued(CallApiWorker worker) {
    this.worker = worker;
  }

  @Override
  public void notify(DelegateExecution execution) {
    AfterCommit.run(worker::wake);
  }
}
