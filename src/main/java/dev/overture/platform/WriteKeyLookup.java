package dev.overture.platform;

import java.util.Optional;

/**
 * Recognises a Segment write key, so that one sent to {@code /api/**} is told that it reaches
 * {@code /v1/*} only (403) instead of being taken for a failed login. Implemented by the event module.
 */
public interface WriteKeyLookup {

  /** The name of the write key, if it is known and not revoked. */
  Optional<String> authenticate(String key);
}
