package dev.overture.campaign;

import dev.overture.campaign.internal.CampaignProperties;
import dev.overture.campaign.internal.ReviewerNotifier;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Deliveries;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * What reviewers read: the form variables (Tasklist renders them as Markdown in the forms, HTML
 * escaped) and the reminder texts.
 */
@Component
class ReviewPacket {

  private final CampaignProperties props;
  private final ReviewerNotifier notifier;
  private final Deliveries deliveries;

  ReviewPacket(CampaignProperties props, ReviewerNotifier notifier, Deliveries deliveries) {
    this.props = props;
    this.deliveries = deliveries;
    this.notifier = notifier;
  }

  Map<String, Object> sampleAttributes() {
    return props.sampleAttributes();
  }

  Map<String, Object> variables(Campaign c, List<Creative.Rendered> previews, AudienceEnroller.Audience audience) {
    Set<String> channels = new LinkedHashSet<>();
    previews.forEach(p -> channels.add(p.channel()));
    Map<String, Object> vars = new HashMap<>();
    List<ReviewRules.Reviewed> versions = previews.stream()
        .map(p -> new ReviewRules.Reviewed(p.key(), p.channel(), p.version())).distinct().toList();
    vars.put(Campaigns.VERSIONS_UNDER_REVIEW, versions.stream().map(ReviewRules.Reviewed::token).collect(Collectors.joining(",")));
    vars.put("creativeVersions", versions.stream().map(ReviewRules.Reviewed::label).collect(Collectors.joining(", ")));
    vars.put("creativePreview", previews.stream().map(ReviewPacket::markdown).collect(Collectors.joining("\n\n---\n\n")));
    vars.put("audienceDescription", audience.description());
    vars.put("audienceSize", audience.size());
    vars.put("channels", String.join(", ", channels));
    vars.put("consentPurpose", "marketing: only profiles with a marketing opt-in for the channel receive it");
    Deliveries.GovernanceSummary governance = deliveries.governance();
    vars.put("quietHours", governance.quietHours());
    vars.put("frequencyCap", governance.frequencyCaps());
    vars.put("legalFooter", props.legalFooter().isBlank() ? "none configured" : props.legalFooter());
    vars.put("schedule", c.startAt() + " to " + c.endAt());
    return vars;
  }

  /** Every text of one locale variant that goes out on its channel: an SMS's text, a push's title and body, too. */
  private static String markdown(Creative.Rendered p) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(p.channel().toUpperCase()).append(" · ").append(p.key()).append(" v").append(p.version())
        .append(p.locale() == null ? "" : " · " + p.locale()).append("**\n\n");
    line(md, "Subject", p.subject());
    line(md, "Title", p.pushTitle());
    String body = Stream.of(p.text(), p.html(), p.smsBody(), p.pushBody()).filter(ReviewPacket::notBlank).findFirst().orElse("");
    md.append(body.trim().lines().map(l -> "> " + l).collect(Collectors.joining("\n")));
    return md.toString();
  }

  private static void line(StringBuilder md, String label, String value) {
    if (notBlank(value)) {
      md.append(label).append(": ").append(value).append("\n\n");
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  List<String> remind(Campaign c, String group) {
    return notifier.notifyGroup(group, "Review waiting: campaign " + c.name(),
        "The campaign '" + c.name() + "' (" + c.key() + ") has waited a day for review by " + group
            + ". Open Tasklist to claim it.");
  }

  /** The lead of a reviewer group: the first member (by id) of the Camunda group {@code <group>-lead}. */
  Optional<String> leadOf(String group) {
    return notifier.firstMember(leadGroup(group));
  }

  static String leadGroup(String group) {
    return group + "-lead";
  }

  void notifyLead(String lead, Campaign c, String taskName) {
    notifier.notifyUser(lead, "Escalated: " + taskName + " for campaign " + c.name(),
        "'" + taskName + "' for campaign '" + c.name() + "' (" + c.key() + ") has waited three days and is now assigned to you.");
  }
}
