package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Suppressions;
import dev.overture.profile.IdentityType;
import dev.overture.profile.Profile;
import java.util.List;

/** Where a message to a profile goes on each channel, as the send rules and the preferred-channel choice see it. */
final class Addresses {

  private Addresses() {}

  /** The recipient on the channel, or null when the profile has none ("device" and "webhook" stand for the target). */
  static String of(Channel channel, Profile profile, DispatchLookups.Reads reads) {
    return switch (channel) {
      case EMAIL -> profile.email();
      case SMS -> phone(profile);
      case PUSH -> reads.deviceTokens(profile.id()).isEmpty() ? null : "device";
      case WEBHOOK -> "webhook";
      case AUDIENCE -> profile.email() != null || phone(profile) != null ? "audience" : null;
    };
  }

  /** The profile's device tokens that are not on the suppression list: the ones a push goes to. */
  static List<String> reachableTokens(Suppressions suppressions, Profile profile, DispatchLookups.Reads reads) {
    return suppressions.unsuppressed(Channel.PUSH, reads.deviceTokens(profile.id()));
  }

  static String phone(Profile profile) {
    return profile.identities().get(IdentityType.PHONE.key());
  }

  /** Whether the suppression list is kept by this channel's addresses (push keeps it by device token). */
  static boolean listedByAddress(Channel channel) {
    return channel == Channel.EMAIL || channel == Channel.SMS;
  }

  static String name(Channel channel) {
    return switch (channel) {
      case EMAIL -> "email address";
      case SMS -> "phone number";
      case PUSH -> "device token";
      case WEBHOOK -> "webhook target";
      case AUDIENCE -> "email address or phone number";
    };
  }
}
