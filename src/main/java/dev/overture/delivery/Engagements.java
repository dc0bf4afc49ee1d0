package dev.overture.delivery;

import dev.overture.profile.Profiles;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How a profile engaged with the message one Send step of one journey instance sent: the "Split on engagement"
 * step's answer, read from the outbox row of that instance and step (its first open, click and unsubscribe, its
 * bounce) and the provider's complaints. One outcome by precedence, the strongest first: {@code unsubscribed}
 * (the unsubscribe link or a complaint: the customer said no), {@code bounced} (the address does not work),
 * {@code clicked} (implies an open), {@code opened}, {@code none} (also for a message not sent, or not yet).
 */
@Component
public class Engagements {

  /**
   * The message name of a "Wait for engagement" catch event. Not an event type (event types have no slash), so no
   * ingested event can reach such a wait: only the first open, click, unsubscribe or bounce of the named step's
   * message does.
   */
  public static final String MESSAGE = "overture/engaged";

  /** The extension property of both engagement templates that names the Send step (its element id). */
  public static final String STEP_PROPERTY = "engagementStep";

  public static final String UNSUBSCRIBED = "unsubscribed";
  public static final String BOUNCED = "bounced";
  public static final String CLICKED = "clicked";
  public static final String OPENED = "opened";
  public static final String NONE = "none";

  /** The outcomes, strongest first: the split answers the first that happened. */
  public static final List<String> PRECEDENCE = List.of(UNSUBSCRIBED, BOUNCED, CLICKED, OPENED, NONE);

  private final JdbcClient jdbc;
  private final Profiles profiles;

  Engagements(JdbcClient jdbc, Profiles profiles) {
    this.jdbc = jdbc;
    this.profiles = profiles;
  }

  /**
   * The outcome of the newest message that step {@code stepId} of the instance sent to the profile: one statement
   * through the outbox's profile index; two more only when the profile was merged into another since (its rows
   * moved to the survivor).
   */
  public String of(String profileId, String processInstanceId, String stepId) {
    Optional<String> outcome = read(profileId, processInstanceId, stepId);
    if (outcome.isEmpty()) {
      outcome = profiles.canonicalId(profileId).filter(id -> !id.equals(profileId))
          .flatMap(survivor -> read(survivor, processInstanceId, stepId));
    }
    return outcome.orElse(NONE);
  }

  private Optional<String> read(String profileId, String processInstanceId, String stepId) {
    return jdbc.sql("""
            SELECT o.unsubscribed_at IS NOT NULL OR EXISTS (SELECT 1 FROM delivery_feedback f
                     WHERE f.outbox_id = o.id AND f.type = 'complaint') AS unsubscribed,
                   o.status = 'bounced' AS bounced, o.clicked_at IS NOT NULL AS clicked, o.opened_at IS NOT NULL AS opened
            FROM outbox_message o WHERE o.profile_id = ? AND o.process_instance_id = ? AND o.activity_id = ?
            ORDER BY o.created_at DESC, o.id DESC LIMIT 1""")
        .params(profileId, processInstanceId, stepId)
        .query((rs, n) -> outcome(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)))
        .optional();
  }

  /** The precedence as a rule: the strongest of what happened. */
  public static String outcome(boolean unsubscribed, boolean bounced, boolean clicked, boolean opened) {
    if (unsubscribed) {
      return UNSUBSCRIBED;
    }
    if (bounced) {
      return BOUNCED;
    }
    if (clicked) {
      return CLICKED;
    }
    return opened ? OPENED : NONE;
  }
}
