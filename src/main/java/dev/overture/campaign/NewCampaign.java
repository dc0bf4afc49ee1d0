package dev.overture.campaign;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;

/**
 * A campaign as submitted: journey, audience (a segment, or one profile for a proof send), creatives and
 * schedule. {@code author} is needed only when an API key submits on behalf of a person. Its constraints are
 * checked by {@link Campaigns} with the lookups and the schedule, so that one 422 {@code invalid-campaign} names
 * every problem of the submission.
 */
public record NewCampaign(
    @NotNull(message = KEY_RULE) @Pattern(regexp = "^[a-z0-9][a-z0-9.-]{0,127}$", message = KEY_RULE) String key,
    @NotBlank(message = "name is required") String name,
    @NotBlank(message = "journeyKey must name a deployed journey") String journeyKey,
    String segmentKey,
    String profileId,
    @NotEmpty(message = "creativeKeys needs at least one creative") List<String> creativeKeys,
    @NotNull(message = SCHEDULE_RULE) Instant startAt,
    @NotNull(message = SCHEDULE_RULE) Instant endAt,
    String author) {

  static final String KEY_RULE = "key must be 1-128 lower-case letters, digits, dots or dashes";
  static final String SCHEDULE_RULE = "startAt and endAt are required (ISO 8601 instants)";
}
