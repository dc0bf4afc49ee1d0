package dev.overture.profile;

import dev.overture.platform.ApiProblem;
import java.net.URI;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/profiles")
class ProfileController {

  private final Profiles profiles;

  ProfileController(Profiles profiles) {
    this.profiles = profiles;
  }

  record UpsertRequest(Map<String, String> identities, Map<String, Object> attributes) {}

  /** Creates the profile (201) or updates the one that owns the identities (200). */
  @PostMapping
  ResponseEntity<Profile> upsert(@RequestBody UpsertRequest request) {
    Profiles.Upserted result = profiles.upsert(request.identities(), request.attributes());
    Profile p = result.profile();
    return result.created()
        ? ResponseEntity.created(URI.create("/api/profiles/" + p.id())).body(p)
        : ResponseEntity.ok(p);
  }

  @GetMapping("/{id}")
  Profile get(@PathVariable String id) {
    return profiles.find(id).orElseThrow(() -> ApiProblem.notFound("profile", "No profile with id " + id));
  }

  /** Look-up by one identity, e.g. {@code ?email=ada@example.com}. */
  @GetMapping
  Profile lookup(@RequestParam Map<String, String> identity) {
    if (identity.size() != 1) {
      throw ApiProblem.badRequest("lookup-needs-one-identity", "Look up by exactly one identity, e.g. ?email=ada@example.com");
    }
    String id = profiles.resolve(identity)
        .orElseThrow(() -> ApiProblem.notFound("profile", "No profile has the identity " + identity.keySet().iterator().next()));
    return get(id);
  }
}
