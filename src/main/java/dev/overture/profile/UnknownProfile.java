package dev.overture.profile;

import dev.overture.platform.Unprocessable;

/** A request names a profile that does not exist (nor existed before a merge), where one must. */
public class UnknownProfile extends Unprocessable {

  public UnknownProfile(String profileId) {
    super("unknown-profile", "No profile with id " + profileId);
  }
}
