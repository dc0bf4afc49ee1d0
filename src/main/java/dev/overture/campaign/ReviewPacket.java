package dev.overture.campaign;

import dev.overture.campaign.CreativeCatalog.Preview;
import dev.overture.campaign.internal.CampaignProperties;
import dev.overture.campaign.internal.ReviewerNotifier;
import dev.overture.delivery.Deliveries;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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

  Map<String, Object> variables(Campaign c, List<Preview> previews, AudienceEnroller.Audience audience) {
    Set<String> channels = new LinkedHashSet<>();
    previews.forEach(p -> channels.add(p.channel()));
    Map<String, Object> vars = new HashMap<>();
    vars.put(Campaigns.VERSIONS_UNDER_REVIEW,
        previews.stream().map(p -> p.key() + ":" + p.version()).collect(Collectors.joining(",")));
    vars.put("creativeVersions", previews.stream().map(p -> p.key() + " v" + p.version() + " (" + p.channel() + ")")
        .collect(Collectors.joining(", ")));
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

  private static String markdown(Preview p) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(p.channel().toUpperCase()).append(" · ").append(p.key()).append(" v").append(p.version())
        .append("**\n\n");
    if (p.subject() != null && !p.subject().isBlank()) {
      md.append("Subject: ").append(p.subject()).append("\n\n");
    }
    md.append(p.body().lines().map(l -> "> " + l).collect(Collectors.joining("\n")));
    return md.toString();
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
