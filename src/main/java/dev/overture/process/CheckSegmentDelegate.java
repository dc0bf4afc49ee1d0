package dev.overture.process;

import dev.overture.segment.Segments;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Check segment": sets a boolean result variable saying whether the journey's profile is a member
 * of the segment's newest version now. A profile whose evaluation fails is not a member.
 */
@Component("checkSegment")
class CheckSegmentDelegate implements JavaDelegate {

  private final Segments segments;

  CheckSegmentDelegate(Segments segments) {
    this.segments = segments;
  }

  @Override
  public void execute(DelegateExecution execution) {
    boolean member = segments.check(Variables.required(execution, "segmentKey"), Variables.profileId(execution)).member();
    execution.setVariable(Variables.optional(execution, "resultVariable", "inSegment"), member);
  }
}
