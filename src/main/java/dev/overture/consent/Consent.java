package dev.overture.consent;

import java.time.Instant;
import org.springframework.lang.Nullable;

/** One ledger entry: what the customer said about a channel and purpose, where and when. */
public record Consent(String channel, String purpose, String status, String source, @Nullable String recordedBy,
    Instant recordedAt) {

  public boolean granted() {
    return "granted".equals(status);
  }
}
