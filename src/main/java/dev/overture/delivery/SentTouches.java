package dev.overture.delivery;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The messages a journey instance sent to a profile, as a column of another module's query: for a caller that
 * reads its own rows and their touches in one round trip (a conversion attributes itself to the messages of the
 * runs it reads). The delivery module keeps the SQL over its outbox; the caller places it.
 */
public final class SentTouches {

  /** A message sent: its outbox id, the journey element that sent it (null outside a journey step), when. */
  public record Touch(String messageId, String activityId, Instant sentAt) {}

  private SentTouches() {}

  /**
   * A scalar subquery: the messages of the instance in {@code instanceColumn} sent to one of {@code profileIds}
   * (an SQL list, such as {@code (:profiles)}), oldest first, as a JSON array of {@code [id, activity, epoch
   * seconds]}; NULL when there are none. Read through the outbox's profile index, as such a query narrows to a
   * handful of rows; the send time as epoch seconds, so no session time zone comes between.
   */
  public static String column(String instanceColumn, String profileIds) {
    return "(SELECT JSON_ARRAYAGG(JSON_ARRAY(o.id, o.activity_id, UNIX_TIMESTAMP(o.sent_at)) ORDER BY o.sent_at, o.id)"
        + " FROM outbox_message o WHERE o.profile_id IN " + profileIds + " AND o.process_instance_id = " + instanceColumn
        + " AND o.sent_at IS NOT NULL)";
  }

  /** The touches of a {@link #column} value as a JSON parser hands it over (a list of lists, or null), oldest first. */
  public static List<Touch> read(Object column) {
    if (column == null) {
      return List.of();
    }
    return ((List<?>) column).stream().map(t -> {
      List<?> touch = (List<?>) t;
      BigDecimal seconds = new BigDecimal(touch.get(2).toString());
      return new Touch((String) touch.get(0), (String) touch.get(1),
          Instant.ofEpochMilli(seconds.movePointRight(3).longValue()));
    }).toList();
  }
}
