package dev.overture.segment;

import dev.overture.consent.Consents;
import dev.overture.event.Events;
import dev.overture.platform.Conflict;
import dev.overture.platform.InvalidInput;
import dev.overture.platform.NotFound;
import dev.overture.platform.Unprocessable;
import dev.overture.profile.Profile;
import dev.overture.profile.ProfileAttributes;
import dev.overture.profile.Profiles;
import dev.overture.segment.internal.FeelSegmentEngine.Verdict;
import dev.overture.segment.internal.FeelSegmentEngine;
import dev.overture.segment.internal.PageFacts;
import dev.overture.segment.internal.SqlPushdown;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.camunda.feel.syntaxtree.ParsedExpression;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * Segments: versioned FEEL expressions over profiles and their behaviour, with counts, member
 * lists and a membership check. Scans walk the profile table in id order, page by page, with the
 * SQL-translatable part of the expression as the scan's WHERE clause; nothing holds all profiles.
 */
@Service
public class Segments {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final int PAGE = 1000;

  private final JdbcClient jdbc;
  private final FeelSegmentEngine feel;
  private final Profiles profiles;
  private final Events events;
  private final Consents consents;
  private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

  Segments(JdbcClient jdbc, FeelSegmentEngine feel, Profiles profiles, Events events, Consents consents) {
    this.jdbc = jdbc;
    this.feel = feel;
    this.profiles = profiles;
    this.events = events;
    this.consents = consents;
  }

  private record Compiled(ParsedExpression expression, SqlPushdown.Plan plan) {}

  /** A member count and how it was reached. */
  public record Count(String key, int version, long members, long evaluated, long undecided, String evaluation, long millis) {}

  /** One page of members in profile id order; {@code next} is the cursor for the following page, null at the end. */
  public record MembersPage(String key, int version, List<String> profileIds, @Nullable String next) {}

  /** What a scan found in one page of profiles: members and undecided profiles (with why), in id order. */
  public record ScanPage(List<Evaluated> results, int scanned, String last) {}

  public record Evaluated(String profileId, boolean member, String failure) {}

  /**
   * Saves a new version of the segment (version 1 for a new key). An expression that does not
   * parse or calls an unknown function is refused with a 422 that quotes the engine's message.
   */
  public Segment define(String key, String name, String expression) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new InvalidInput("invalid-segment-key", "key must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    Compiled c = compile(expression);
    for (int attempt = 0; ; attempt++) {
      int version = jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM segment WHERE segment_key = ?")
          .param(key).query(Integer.class).single();
      Instant now = Instant.now();
      try {
        jdbc.sql("INSERT INTO segment (segment_key, version, name, expression, created_at) VALUES (?, ?, ?, ?, ?)")
            .params(key, version, name, expression, Timestamp.from(now)).update();
        compiled.put(key + "@" + version, c);
        return new Segment(key, version, name, expression, now, evaluation(c.plan()));
      } catch (DuplicateKeyException raced) {
        if (attempt >= 3) {
          throw new Conflict("segment-changed-concurrently", "Segment " + key + " is being changed by someone else; retry");
        }
      }
    }
  }

  /** The newest version. */
  public Optional<Segment> current(String key) {
    return jdbc.sql("SELECT * FROM segment WHERE segment_key = ? ORDER BY version DESC LIMIT 1").param(key)
        .query((rs, n) -> row(rs.getString("segment_key"), rs.getInt("version"), rs.getString("name"),
            rs.getString("expression"), rs.getTimestamp("created_at").toInstant()))
        .optional();
  }

  public Optional<Segment> version(String key, int version) {
    return jdbc.sql("SELECT * FROM segment WHERE segment_key = ? AND version = ?").params(key, version)
        .query((rs, n) -> row(rs.getString("segment_key"), rs.getInt("version"), rs.getString("name"),
            rs.getString("expression"), rs.getTimestamp("created_at").toInstant()))
        .optional();
  }

  /** The newest version, or a 404 problem. */
  public Segment require(String key) {
    return current(key).orElseThrow(() -> new NotFound("segment", "No segment with key '" + key + "'"));
  }

  public Count count(String key) {
    Segment s = require(key);
    Compiled c = compiled(s);
    long started = System.nanoTime();
    if (c.plan().exact()) {
      long n = profiles.count(c.plan().conditions());
      return new Count(key, s.version(), n, n, 0, s.evaluation(), (System.nanoTime() - started) / 1_000_000);
    }
    long members = 0;
    long evaluated = 0;
    long undecided = 0;
    String after = "";
    while (after != null) {
      ScanPage page = scan(s, after, PAGE);
      evaluated += page.scanned();
      for (Evaluated e : page.results()) {
        if (e.member()) {
          members++;
        } else {
          undecided++;
        }
      }
      after = page.last();
    }
    return new Count(key, s.version(), members, evaluated, undecided, s.evaluation(), (System.nanoTime() - started) / 1_000_000);
  }

  public MembersPage members(String key, String after, int limit) {
    Segment s = require(key);
    List<String> out = new ArrayList<>();
    String cursor = after == null ? "" : after;
    while (cursor != null && out.size() < limit) {
      ScanPage page = scan(s, cursor, Math.max(limit, 100));
      for (Evaluated e : page.results()) {
        if (e.member() && out.size() < limit) {
          out.add(e.profileId());
        }
      }
      cursor = page.last();
    }
    String next = out.size() == limit && !out.isEmpty() ? out.get(out.size() - 1) : null;
    return new MembersPage(key, s.version(), out, next);
  }

  /**
   * Evaluates the next page of profiles after {@code after} (exclusive; "" = the start). Returns
   * members and the profiles whose evaluation failed; {@code last} is the cursor for the next call,
   * null when the scan is complete.
   */
  public ScanPage scan(Segment s, String after, int limit) {
    Compiled c = compiled(s);
    if (c.plan().exact()) {
      List<String> ids = profiles.pageOfIds(after, limit, c.plan().conditions());
      return new ScanPage(ids.stream().map(id -> new Evaluated(id, true, null)).toList(), ids.size(),
          ids.size() < limit ? null : ids.get(ids.size() - 1));
    }
    List<ProfileAttributes> page = profiles.page(after, limit, c.plan().conditions());
    PageFacts facts = new PageFacts(page.stream().map(ProfileAttributes::id).toList(), events, consents);
    // FEEL is CPU-bound and the engine is thread-safe: evaluate the page on all cores, keep id order
    List<Evaluated> results = page.parallelStream()
        .map(p -> {
          Verdict v = feel.evaluate(c.expression(), p.id(), p.values(), facts);
          return new Evaluated(p.id(), v.member(), v.failure());
        })
        .filter(e -> e.member() || e.failure() != null)
        .toList();
    return new ScanPage(results, page.size(), page.size() < limit ? null : page.get(page.size() - 1).id());
  }

  /** How many profiles the SQL part of the segment selects: the exact member count when evaluation is {@code sql}. */
  public long candidates(Segment s) {
    return profiles.count(compiled(s).plan().conditions());
  }

  /** Whether the profile is a member of the segment's newest version now; an undecided profile is not. */
  public Evaluated check(String key, String profileId) {
    Segment s = require(key);
    Compiled c = compiled(s);
    Profile p = profiles.find(profileId).orElseThrow(() -> new NotFound("profile", "No profile with id " + profileId));
    Verdict v = feel.evaluate(c.expression(), profileId, p.attributes(), new PageFacts(List.of(profileId), events, consents));
    return new Evaluated(profileId, v.member(), v.failure());
  }

  /**
   * Which of these profiles are members of the segment's newest version now, in one read of their profiles and one
   * query per event type or consent the expression reads: profile id → member; a profile that no longer exists and an
   * undecided one are not members. Empty when the segment does not exist.
   */
  public Map<String, Boolean> members(String key, java.util.Collection<String> profileIds) {
    Optional<Segment> current = current(key);
    if (current.isEmpty() || profileIds.isEmpty()) {
      return Map.of();
    }
    Compiled c = compiled(current.get());
    Map<String, Profile> found = profiles.findAll(profileIds);
    List<String> ids = List.copyOf(profileIds);
    PageFacts facts = new PageFacts(ids, events, consents);
    Map<String, Boolean> out = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      Profile p = found.get(id);
      out.put(id, p != null && p.id().equals(id) && feel.evaluate(c.expression(), id, p.attributes(), facts).member());
    }
    return out;
  }

  private static final Pattern EVENTS_CALL = Pattern.compile("events\\s*\\(\\s*\"([^\"]+)\"");

  /**
   * The event types the newest version's expression reads through {@code events("…")}: a stored event of another
   * type cannot change its members. Empty for an unknown segment.
   */
  public java.util.Set<String> eventTypes(String key) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    current(key).ifPresent(s -> {
      java.util.regex.Matcher m = EVENTS_CALL.matcher(s.expression());
      while (m.find()) {
        out.add(m.group(1));
      }
    });
    return out;
  }

  private Compiled compile(String expression) {
    FeelSegmentEngine.Parsed parsed = feel.parse(expression);
    if (parsed instanceof FeelSegmentEngine.Failed f) {
      Unprocessable problem = new Unprocessable("invalid-segment-expression",
          "The expression is not valid FEEL: " + f.error().message());
      if (f.error().line() != null) {
        problem.with("line", f.error().line()).with("column", f.error().column());
      }
      throw problem;
    }
    ParsedExpression ok = ((FeelSegmentEngine.Ok) parsed).expression();
    feel.dryRun(ok).ifPresent(message -> {
      throw new Unprocessable("invalid-segment-expression", "The expression cannot be evaluated: " + message);
    });
    return new Compiled(ok, SqlPushdown.plan(ok.expression()));
  }

  private Compiled compiled(Segment s) {
    return compiled.computeIfAbsent(s.key() + "@" + s.version(), k -> compile(s.expression()));
  }

  private Segment row(String key, int version, String name, String expression, Instant createdAt) {
    Segment withoutPlan = new Segment(key, version, name, expression, createdAt, null);
    return new Segment(key, version, name, expression, createdAt, evaluation(compiled(withoutPlan).plan()));
  }

  private static String evaluation(SqlPushdown.Plan plan) {
    return plan.exact() ? "sql" : plan.conditions().isEmpty() ? "feel" : "sql+feel";
  }
}
