package dev.overture.delivery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.delivery.Delivery;
import dev.overture.delivery.MessageContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;

/** How an outbox row maps to a {@link Delivery} and back: its columns, and its parameters and context as JSON. */
final class OutboxRows {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutboxRows() {}

  /** A row as the claim left it: sending, one attempt more. */
  static Delivery claimed(Delivery d) {
    return new Delivery(d.id(), d.profileId(), d.channel(), d.purpose(), d.creativeKey(), d.creativeVersion(), d.journeyKey(),
        d.processInstanceId(), d.activityId(), Delivery.SENDING, d.reason(), d.recipient(), d.attempts() + 1, d.createdAt(),
        d.dueAt(), d.sentAt(), d.deliveredAt(), d.params(), d.context());
  }

  static String truncate(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  static Delivery map(ResultSet rs, int n) throws SQLException {
    Timestamp sent = rs.getTimestamp("sent_at");
    Timestamp delivered = rs.getTimestamp("delivered_at");
    int version = rs.getInt("creative_version");
    return new Delivery(rs.getString("id"), rs.getString("profile_id"), rs.getString("channel"), rs.getString("purpose"),
        rs.getString("creative_key"), rs.wasNull() ? null : version, rs.getString("journey_key"),
        rs.getString("process_instance_id"), rs.getString("activity_id"), rs.getString("status"), rs.getString("reason"),
        rs.getString("recipient"), rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("due_at").toInstant(), sent == null ? null : sent.toInstant(),
        delivered == null ? null : delivered.toInstant(), read(rs.getString("params")),
        readContext(rs.getString("context")));
  }

  private static Map<String, Object> read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox params are not JSON", e);
    }
  }

  private static MessageContext readContext(String text) {
    try {
      return text == null ? null : JSON.readValue(text, MessageContext.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox context is not JSON", e);
    }
  }

  static String writeContext(MessageContext context) {
    try {
      return JSON.writeValueAsString(context);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the message context cannot be written as JSON", e);
    }
  }

  static String write(Map<String, Object> params) {
    try {
      return JSON.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("outbox params cannot be written as JSON", e);
    }
  }
}
