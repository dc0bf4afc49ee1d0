package dev.overture.journey;

import dev.overture.platform.NotFound;

/** No version of a journey with this key is deployed. */
public class UnknownJourney extends NotFound {

  public UnknownJourney(String journeyKey) {
    super("journey", "No journey with key '" + journeyKey + "' is deployed");
  }
}
