package dev.overture.profile.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.profile.AttributeCondition;
import dev.overture.profile.ProfileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Profiles in id order, a page at a time, narrowed in SQL by attribute conditions: exactly on an indexed attribute,
 * as a superset elsewhere, so that segment evaluation decides the rest.
 */
@Component
public class ProfileScan {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  ProfileScan(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Up to {@code limit} profiles with ids after {@code afterId} (exclusive, "" = start) that meet all conditions. */
  public List<ProfileAttributes> page(String afterId, int limit, List<AttributeCondition> conditions) {
    Where where = where(afterId, conditions);
    return jdbc.sql("SELECT id, attributes FROM profile WHERE " + where.sql + " ORDER BY id LIMIT " + limit)
        .params(where.params)
        .query((rs, n) -> new ProfileAttributes(rs.getString(1), read(rs.getString(2))))
        .list();
  }

  /** Like {@link #page} without reading attributes: for conditions that decide membership on their own. */
  public List<String> pageOfIds(String afterId, int limit, List<AttributeCondition> conditions) {
    Where where = where(afterId, conditions);
    return jdbc.sql("SELECT id FROM profile WHERE " + where.sql + " ORDER BY id LIMIT " + limit)
        .params(where.params).query(String.class).list();
  }

  /** How many profiles meet all conditions. */
  public long count(List<AttributeCondition> conditions) {
    Where where = where("", conditions);
    return jdbc.sql("SELECT COUNT(*) FROM profile WHERE " + where.sql).params(where.params).query(Long.class).single();
  }

  private record Where(String sql, List<Object> params) {}

  private static Where where(String afterId, List<AttributeCondition> conditions) {
    StringBuilder sql = new StringBuilder("id > ?");
    List<Object> params = new ArrayList<>();
    params.add(afterId == null ? "" : afterId);
    for (AttributeCondition c : conditions) {
      String json = "JSON_VALUE(attributes, '$." + c.attribute() + "')";
      if (c.anyOf() != null) {
        String column = AttributeCondition.INDEXED_COLUMNS.getOrDefault(c.attribute(), json);
        sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(c.anyOf().size() - 1)).append("?)");
        params.addAll(c.anyOf());
      } else {
        // only numbers that fail the comparison are left out: a missing or non-number value stays a
        // candidate, so FEEL can say why it is not a member. A double is close, not exact: the bound
        // is widened so that no member is lost; FEEL decides.
        double bound = c.bound().doubleValue();
        double slack = Math.max(1e-9, Math.abs(bound) * 1e-9);
        String type = "JSON_TYPE(JSON_EXTRACT(attributes, '$." + c.attribute() + "'))";
        sql.append(" AND (").append(type).append(" IS NULL OR ").append(type).append(" NOT IN ('INTEGER', 'DOUBLE') OR CAST(")
            .append(json).append(" AS DOUBLE) ").append(c.op()).append(" ?)");
        params.add(c.op().startsWith(">") ? bound - slack : bound + slack);
      }
    }
    return new Where(sql.toString(), params);
  }

  private Map<String, Object> read(String text) {
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("profile attributes are not JSON", e);
    }
  }
}
