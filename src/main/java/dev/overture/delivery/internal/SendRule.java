package dev.overture.delivery.internal;

import java.time.Instant;

/**
 * One governance check a claimed message passes at send time. {@link SendRules} lists them in the order they
 * run; the first that does not pass decides what becomes of the message.
 */
interface SendRule {

  Verdict check(SendAttempt attempt);

  /** What a rule decided: pass on to the next rule, or suppress, defer or fail the message. */
  record Verdict(Kind kind, String reason, Instant until, Integer creativeVersion) {

    enum Kind { PASS, SUPPRESS, DEFER, FAIL }

    static final Verdict PASS = new Verdict(Kind.PASS, null, null, null);

    static Verdict suppress(String reason) {
      return new Verdict(Kind.SUPPRESS, reason, null, null);
    }

    static Verdict defer(Instant until, String reason) {
      return new Verdict(Kind.DEFER, reason, until, null);
    }

    static Verdict fail(String reason, Integer creativeVersion) {
      return new Verdict(Kind.FAIL, reason, null, creativeVersion);
    }
  }
}
