package dev.overture.profile;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The profiles a unit of work on this thread will read, gathered ({@link #together}): the first {@link Profiles#find}
 * of one of them reads all of them in one batch (two queries), the later ones answer from that read. A write through
 * {@link Profiles} drops the read, so a step that changed a profile is followed by a fresh read of it. For a batch of
 * events whose steps render messages, an enrollment chunk.
 */
public final class ProfileReadScope {

  private static final ThreadLocal<ProfileReadScope> CURRENT = new ThreadLocal<>();

  private final Set<String> ids;
  private Map<String, Profile> read;

  private ProfileReadScope(Set<String> ids) {
    this.ids = ids;
  }

  /** Runs {@code work} with the profiles of {@code ids} read together. */
  public static <T> T together(Collection<String> ids, Supplier<T> work) {
    ProfileReadScope outer = CURRENT.get();
    CURRENT.set(new ProfileReadScope(Set.copyOf(ids)));
    try {
      return work.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** Requested id → profile: read with the scope's other ids when the id is in this thread's scope, else alone. */
  static Map<String, Profile> read(String requestedId, Function<Collection<String>, Map<String, Profile>> reader) {
    ProfileReadScope scope = CURRENT.get();
    if (scope == null || !scope.ids.contains(requestedId)) {
      return reader.apply(List.of(requestedId));
    }
    if (scope.read == null) {
      scope.read = reader.apply(scope.ids);
    }
    return scope.read;
  }

  /** A profile was written on this thread: the scope reads again when next asked. */
  static void changed() {
    ProfileReadScope scope = CURRENT.get();
    if (scope != null) {
      scope.read = null;
    }
  }
}
