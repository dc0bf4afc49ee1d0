package dev.overture.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Profiles read together: one read for the scope's ids, a fresh one after a write, alone outside the scope. */
class ProfileReadScopeTest {

  private final List<Set<String>> reads = new ArrayList<>();

  private Map<String, Profile> reader(Collection<String> ids) {
    reads.add(Set.copyOf(ids));
    Map<String, Profile> out = new HashMap<>();
    ids.forEach(id -> out.put(id, new Profile(id, Map.of(), Map.of(), Instant.EPOCH, Instant.EPOCH)));
    return out;
  }

  @Test
  void theFirstFindInAScopeReadsEveryProfileOfItAndALaterOneReadsNothing() {
    ProfileReadScope.together(List.of("a", "b", "c"), () -> {
      assertThat(ProfileReadScope.read("a", this::reader)).containsKeys("a", "b", "c");
      assertThat(ProfileReadScope.read("c", this::reader).get("c").id()).isEqualTo("c");
      return null;
    });
    assertThat(reads).containsExactly(Set.of("a", "b", "c"));
  }

  @Test
  void aWriteInTheScopeMakesTheNextFindReadAgain() {
    ProfileReadScope.together(List.of("a", "b"), () -> {
      ProfileReadScope.read("a", this::reader);
      ProfileReadScope.changed();
      ProfileReadScope.read("b", this::reader);
      return null;
    });
    assertThat(reads).containsExactly(Set.of("a", "b"), Set.of("a", "b"));
  }

  @Test
  void anIdOutsideTheScopeAndAnyFindAfterItAreReadAlone() {
    ProfileReadScope.together(List.of("a"), () -> ProfileReadScope.read("x", this::reader));
    ProfileReadScope.read("a", this::reader);
    assertThat(reads).containsExactly(Set.of("x"), Set.of("a"));
  }

  @Test
  void anInnerScopeEndsWithoutEndingTheOuterOne() {
    ProfileReadScope.together(List.of("a"), () -> {
      ProfileReadScope.together(List.of("b"), () -> ProfileReadScope.read("b", this::reader));
      ProfileReadScope.read("a", this::reader);
      ProfileReadScope.read("a", this::reader);
      return null;
    });
    assertThat(reads).containsExactly(Set.of("b"), Set.of("a"));
  }
}
