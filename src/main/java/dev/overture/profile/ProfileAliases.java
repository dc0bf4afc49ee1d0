package dev.overture.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The ids merged into a profile ({@link Profiles#aliasesOf}) as a column of another module's query, for a
 * caller that must read them in the same round trip as its own rows (the event correlator's lock of its
 * batch): the profile module keeps the SQL over its table, the caller only places it.
 */
public final class ProfileAliases {

  private static final TypeReference<List<String>> IDS = new TypeReference<>() {};
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProfileAliases() {}

  /**
   * A scalar subquery: the ids merged into the profile whose id is in {@code idColumn}, oldest merge first,
   * as a JSON array, or NULL when it has none. A non-locking read, also inside a locking statement.
   */
  public static String column(String idColumn) {
    return "(SELECT JSON_ARRAYAGG(pm.merged_id ORDER BY pm.id) FROM profile_merge pm WHERE pm.survivor_id = " + idColumn + ")";
  }

  /** The ids of a {@link #column} value. */
  public static List<String> read(String column) {
    if (column == null) {
      return List.of();
    }
    try {
      return JSON.readValue(column, IDS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("merged ids are not a JSON array", e);
    }
  }
}
