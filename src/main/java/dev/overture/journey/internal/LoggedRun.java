package dev.overture.journey.internal;

import java.time.LocalDateTime;

/** What the journey log writes of one instance: its row in {@code journey_run}, as far as this transaction knows it. */
final class LoggedRun {
  final String instanceId;
  final RunKey key;
  final String profileId;
  final LocalDateTime startedAt;
  LocalDateTime endedAt;
  String endReason;
  String endElementId;

  LoggedRun(String instanceId, RunKey key, String profileId, LocalDateTime startedAt) {
    this.instanceId = instanceId;
    this.key = key;
    this.profileId = profileId;
    this.startedAt = startedAt;
  }
}
