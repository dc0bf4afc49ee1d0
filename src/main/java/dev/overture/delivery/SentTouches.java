package dev.overture.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The messages a journey instance sent to a profile up to a moment, as a column of another module's query:
 * for a caller that reads its own rows and their touches in one round trip (a conversion attributes itself to
 * the messages of the runs it reads). The delivery module keeps the SQL over its outbox; the caller places it.
 */
public final class SentTouches {

  /** A message sent: its outbox id and the journey element that sent it (null outside a journey step). */
  public record Touch(String messageId, String activityId) {}

  private static final TypeReference<List<List<String>>> PAIRS = new TypeReference<>() {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private SentTouches() {}

  /**
   * A scalar subquery: the messages of the instance in {@code instanceColumn} sent to one of the profiles of
   * the named list parameter {@code profiles}, at or before the timestamp parameter {@code at}, oldest first, as
   * JSON; NULL when there are none. Read through the outbox's profile index, as such a query narrows to a
   * handful of rows.
   */
  public static String column(String instanceColumn, String profiles, String at) {
    return "(SELECT JSON_ARRAYAGG(JSON_ARRAY(o.id, o.activity_id) ORDER BY o.sent_at, o.id) FROM outbox_message o"
        + " WHERE o.profile_id IN (:" + profiles + ") AND o.process_instance_id = " + instanceColumn
        + " AND o.sent_at IS NOT NULL AND o.sent_at <= :" + at + ")";
  }

  /** The touches of a {@link #column} value, oldest first. */
  public static List<Touch> read(String column) {
    if (column == null) {
      return List.of();
    }
    try {
      return JSON.readValue(column, PAIRS).stream().map(p -> new Touch(p.get(0), p.get(1))).toList();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("sent messages are not a JSON array", e);
    }
  }
}
