package dev.overture.enrollment.internal;

import dev.overture.enrollment.EnrollmentSchedules;
import org.springframework.stereotype.Component;

/** Runs the enrollment schedules whose occurrence has come, on every node; the schedules decide which node runs one. */
@Component
class ScheduleWorker extends PollingWorker {

  private final EnrollmentSchedules schedules;

  ScheduleWorker(EnrollmentSchedules schedules, EnrollmentProperties properties) {
    super("enrollment-schedules", properties.pollInterval(), properties.workerEnabled());
    this.schedules = schedules;
  }

  @Override
  protected boolean round() {
    for (String id : schedules.due()) {
      if (!active()) {
        return false;
      }
      schedules.runDue(id);
    }
    return false;
  }
}
