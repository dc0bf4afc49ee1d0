package dev.overture.campaign;

import dev.overture.platform.FourEyesViolation;
import dev.overture.campaign.ReviewRules.Reviewed;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Creatives;
import dev.overture.delivery.MessageContext;
import dev.overture.delivery.MissingTemplateValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A campaign's creatives, reached only through delivery's {@link Creatives} facade: the versions under
 * review, the author's revision and the approval, which goes through {@link Creatives#approve} and its
 * four-eyes check. Delivery records people as callers ("user:id"); campaigns as Camunda user ids.
 */
@Component
class CampaignCreatives {

  private static final String EMAIL = "email";

  private final Creatives creatives;

  CampaignCreatives(Creatives creatives) {
    this.creatives = creatives;
  }

  boolean exists(String key) {
    return !creatives.find(key).isEmpty();
  }

  /** The newest version of each channel of each key, in the campaign's order of keys. */
  List<Creative> underReview(List<String> keys) {
    List<Creative> out = new ArrayList<>();
    for (String key : keys) {
      List<Creative> newest = newestPerChannel(key);
      if (newest.isEmpty()) {
        throw new IllegalStateException("Creative " + key + " is gone");
      }
      out.addAll(newest);
    }
    return out;
  }

  /**
   * Every locale variant of the version for the sample profile: a version is approved as a whole. A
   * variant that cannot be rendered says so in place of its text, so the reviewer sees why.
   */
  List<Creative.Rendered> previews(Creative creative, Map<String, Object> sampleAttributes) {
    List<Creative.Rendered> out = new ArrayList<>();
    MessageContext sample = MessageContext.sample(sampleAttributes);
    for (Creative.Variant variant : creative.variants().entrySet().stream()
        .map(e -> new Creative.Variant(e.getKey(), e.getValue())).toList()) {
      Map<String, Object> attributes = new java.util.HashMap<>(sampleAttributes);
      attributes.put(MessageContext.LOCALE, variant.locale());
      try {
        out.add(creatives.render(creative, new MessageContext(attributes, sample.event(), sample.journey())));
      } catch (MissingTemplateValue e) {
        String problem = "Cannot be sent as it stands: " + e.getMessage();
        out.add(new Creative.Rendered(creative.key(), creative.channel(), creative.version(), null, problem, null, null, null, null,
            variant.locale()));
      }
    }
    return out;
  }

  /** Refuses a reviewer who wrote one of the versions: nobody approves their own work. */
  void requireNotWrittenBy(String reviewer, List<Reviewed> versions) {
    for (Reviewed v : versions) {
      creatives.find(v.key(), v.channel(), v.version()).filter(c -> caller(reviewer).equals(c.createdBy())).ifPresent(c -> {
        throw new FourEyesViolation("Four-eyes rule: you (" + reviewer + ") wrote " + v.label()
            + " and cannot approve it. Unclaim the task so that another reviewer can decide.");
      });
    }
  }

  /**
   * The author's edit: a new version of the key's email creative (or of its only channel) with the new
   * subject and text, every other field kept, written by the author. The subject is an email's subject or
   * a push title; the text an email's plain text (its HTML goes, which would still say the old), an SMS,
   * a push body or a webhook's text; locale variants are kept as they are. Empty when nothing would change.
   */
  Optional<Creative> revise(String key, String subject, String text, String author) {
    List<Creative> newest = newestPerChannel(key);
    Creative current = newest.stream().filter(c -> EMAIL.equals(c.channel())).findFirst()
        .orElseGet(() -> newest.stream().findFirst().orElseThrow(() -> new IllegalStateException("Creative " + key + " is gone")));
    Creative.Draft before = draftOf(current);
    Creative.Draft after = switch (current.channel()) {
      case EMAIL -> new Creative.Draft(key, EMAIL, or(subject, before.subject()), or(text, null) == null ? before.html() : null,
          or(text, before.text()), before.smsBody(), before.pushTitle(), before.pushBody(), before.fallbacks(), before.locale(), before.locales());
      case "sms" -> new Creative.Draft(key, "sms", before.subject(), before.html(), before.text(), or(text, before.smsBody()),
          before.pushTitle(), before.pushBody(), before.fallbacks(), before.locale(), before.locales());
      case "push" -> new Creative.Draft(key, "push", before.subject(), before.html(), before.text(), before.smsBody(),
          or(subject, before.pushTitle()), or(text, before.pushBody()), before.fallbacks(), before.locale(), before.locales());
      default -> new Creative.Draft(key, current.channel(), before.subject(), before.html(), or(text, before.text()),
          before.smsBody(), before.pushTitle(), before.pushBody(), before.fallbacks(), before.locale(), before.locales());
    };
    return after.equals(before) ? Optional.empty() : Optional.of(creatives.create(after, caller(author)));
  }

  /** Approves exactly these versions in the approver's name; {@link Creatives#approve} refuses their writer. */
  void approve(List<Reviewed> versions, String approver) {
    versions.forEach(v -> creatives.approve(v.key(), v.channel(), v.version(), caller(approver)));
  }

  private List<Creative> newestPerChannel(String key) {
    Map<String, Creative> newest = new LinkedHashMap<>();
    // newest first within each channel
    creatives.find(key).forEach(c -> newest.putIfAbsent(c.channel(), c));
    return List.copyOf(newest.values());
  }

  private static Creative.Draft draftOf(Creative c) {
    return new Creative.Draft(c.key(), c.channel(), c.subject(), c.html(), c.text(), c.smsBody(), c.pushTitle(), c.pushBody(),
        c.fallbacks(), c.defaultLocale(), c.locales().isEmpty() ? null : c.locales());
  }

  private static String or(String replacement, String current) {
    return replacement == null || replacement.isBlank() ? current : replacement;
  }

  private static String caller(String userId) {
    return "user:" + userId;
  }
}
