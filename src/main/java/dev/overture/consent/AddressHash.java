package dev.overture.consent;

import dev.overture.platform.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The form an address is kept in by the suppression list and locked under by the send guard: never the address itself. */
final class AddressHash {

  private AddressHash() {}

  /** Lower-case trimmed email, phone without spaces and punctuation: the forms that identify one mailbox or line. */
  static String normalise(Channel channel, String address) {
    if (address == null || address.isBlank()) {
      throw new InvalidInput("invalid-address", "address is required");
    }
    return switch (channel) {
      case EMAIL -> address.trim().toLowerCase(Locale.ROOT);
      case SMS -> address.replaceAll("[\\s().-]", "");
      default -> address.trim();
    };
  }

  /** SHA-256 (hex) of the normalised address. */
  static String of(Channel channel, String address) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalise(channel, address).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
