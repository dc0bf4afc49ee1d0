package dev.overture.campaign;

import java.util.Map;
import java.util.Optional;

/**
 * What the campaign launch needs from creatives: the version under review, a preview for the
 * reviewer, and the approval mark that lets dispatch send it. Implemented over table {@code creative}
 * until the delivery module's {@code Creatives} facade takes over (see docs/approvals.md).
 */
public interface CreativeCatalog {

  /** One stored version of a creative. */
  record CreativeVersion(String key, int version, String channel, String status) {

    /** "spring-sale v3", as the audit trail and the review form show it. */
    public String label() {
      return key + " v" + version;
    }
  }

  /** A version rendered with sample attributes, for a reviewer to read. */
  record Preview(String key, int version, String channel, String subject, String body) {}

  /** The newest version of the key, whatever its status. */
  Optional<CreativeVersion> latest(String key);

  Preview renderForReview(String key, int version, Map<String, Object> sampleAttributes);

  /** Marks a version as having passed both reviews; only such versions are dispatched. */
  void markApproved(String key, int version);

  boolean isApproved(String key, int version);

  /** Stores an edited copy of the newest version as a new draft version (approved versions are never changed). */
  CreativeVersion revise(String key, String subject, String bodyText);
}
