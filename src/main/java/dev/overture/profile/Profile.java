package dev.overture.profile;

import java.time.Instant;
import java.util.Map;

/** A customer: its identities (type → value) and free-form attributes. */
public record Profile(
    String id, Map<String, String> identities, Map<String, Object> attributes, Instant createdAt, Instant updatedAt) {

  public String email() {
    return identities.get(IdentityType.EMAIL.key());
  }
}
