package dev.overture.campaign;

import java.time.Instant;
import java.util.List;

/**
 * A campaign as submitted: journey, audience (a segment, or one profile for a proof send), creatives and
 * schedule. {@code author} is needed only when an API key submits on behalf of a person.
 */
public record NewCampaign(String key, String name, String journeyKey, String segmentKey, String profileId,
    List<String> creativeKeys, Instant startAt, Instant endAt, String author) {}
