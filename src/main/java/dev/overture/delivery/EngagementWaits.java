package dev.overture.delivery;

/**
 * What ends a journey's "Wait for engagement": told of the first open, click or unsubscribe, and of a bounce, of a
 * message a journey step sent. Owned here so that delivery never depends on the engine's side; the process module
 * implements it.
 */
public interface EngagementWaits {

  /** False when no deployed journey waits for engagement: then a tracking hit reads nothing more. */
  boolean anyWaits();

  /**
   * Ends the instance's wait for engagement with step {@code stepId}, if it waits for that step; else nothing. In a
   * transaction of its own; a failure is the implementation's to log, never the tracking hit's.
   */
  void engaged(String processInstanceId, String stepId, String outcome);
}
