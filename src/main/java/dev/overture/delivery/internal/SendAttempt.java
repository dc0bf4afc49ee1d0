package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.ConsentDecision;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Delivery;
import dev.overture.profile.Profile;
import dev.overture.profile.TestProfiles;

/**
 * A claimed message on its way through the send rules: what they read (the message, its profile, the batch's
 * preloaded reads) and what they found on the way for the provider call (the consent, the address, the rendering).
 */
final class SendAttempt {

  final Delivery delivery;
  final Channel channel;
  final Purpose purpose;
  final Profile profile;
  final DispatchLookups.Reads reads;
  final boolean test;
  /** Leaving an ad audience: no consent, holdout, ticket, quiet hours or cap holds it back. */
  final boolean audienceRemoval;
  ConsentDecision consent;
  String address;
  /** A push's device tokens that are not suppressed, read once for the rule and the provider call. */
  java.util.List<String> deviceTokens = java.util.List.of();
  Creative.Rendered rendered;

  SendAttempt(Delivery delivery, Channel channel, Purpose purpose, Profile profile, DispatchLookups.Reads reads) {
    this.delivery = delivery;
    this.channel = channel;
    this.purpose = purpose;
    this.profile = profile;
    this.reads = reads;
    this.test = TestProfiles.isTest(profile);
    this.audienceRemoval = channel == Channel.AUDIENCE && "remove".equals(delivery.param("action"));
  }

  boolean marketing() {
    return purpose == Purpose.MARKETING;
  }

  /** Marketing to a customer (not a test profile), which the rules that shape what customers receive apply to. */
  boolean marketingToCustomer() {
    return marketing() && !audienceRemoval && !test;
  }
}
