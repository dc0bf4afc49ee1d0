package dev.overture.profile;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A condition on a top-level attribute, either "its string value is one of {@code anyOf}" or "its
 * number compares with {@code bound} by {@code op}" ({@code >}, {@code >=}, {@code <}, {@code <=}).
 * A string condition on an indexed attribute is exact; every other condition selects a superset
 * (JSON_VALUE, the column's collation; a number compared as a double with a little slack, and
 * profiles without a number there kept, so that FEEL can record why they are not members).
 */
public record AttributeCondition(String attribute, List<String> anyOf, String op, BigDecimal bound) {

  /** Attributes with an indexed, exact generated column (V20 migration): conditions on them run in SQL exactly. */
  public static final Set<String> INDEXED_ATTRIBUTES = Set.of("tier", "country");
  /** The generated column of each indexed attribute. */
  public static final Map<String, String> INDEXED_COLUMNS = Map.of("tier", "attr_tier", "country", "attr_country");

  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  public AttributeCondition {
    if (!ATTRIBUTE_NAME.matcher(attribute).matches()
        || (anyOf == null ? bound == null || !List.of(">", ">=", "<", "<=").contains(op) : anyOf.isEmpty())) {
      throw new IllegalArgumentException("not a plain attribute condition: " + attribute);
    }
    anyOf = anyOf == null ? null : List.copyOf(anyOf);
  }

  public static AttributeCondition oneOf(String attribute, List<String> values) {
    return new AttributeCondition(attribute, values, null, null);
  }

  public static AttributeCondition compare(String attribute, String op, BigDecimal bound) {
    return new AttributeCondition(attribute, null, op, bound);
  }

  public boolean exact() {
    return anyOf != null && INDEXED_COLUMNS.containsKey(attribute);
  }

  public static boolean plainName(String attribute) {
    return ATTRIBUTE_NAME.matcher(attribute).matches();
  }
}
