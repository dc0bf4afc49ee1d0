package dev.overture.delivery;

/** Where a message comes from in a journey: the journey, its instance and the step that sent it. */
public record Origin(String journeyKey, String processInstanceId, String activityId) {}
