package dev.overture.consent;

import java.time.Instant;

/** One ledger entry: what the customer said about a channel and purpose, where and when. */
public record Consent(String channel, String purpose, String status, String source, String recordedBy, Instant recordedAt) {

  public boolean granted() {
    return "granted".equals(status);
  }
}
