package dev.overture.profile;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
import dev.overture.platform.ProblemType;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/profiles")
class ProfileController {

  private static final Logger log = LoggerFactory.getLogger(ProfileController.class);

  private final Profiles profiles;

  ProfileController(Profiles profiles) {
    this.profiles = profiles;
  }

  /** Which identity types exist and what each accepts, {@code Profiles} checks for every source alike. */
  record UpsertRequest(
      @ProblemType("missing-identity")
      @NotEmpty(message = "is required: at least one of email, phone, externalId, anonymousId or deviceToken")
      Map<String, String> identities,
      Map<String, Object> attributes) {}

  /** Creates the profile (201) or updates the one that owns the identities (200). */
  @Operation(summary = "Create or update a profile by its identities")
  @ApiResponse(responseCode = "201", description = "Created: no profile had these identities")
  @ApiResponse(responseCode = "200", description = "Updated: the profile that owns the identities")
  @ApiResponse(responseCode = "409", description = "The identities belong to different profiles")
  @RequestExample("""
      {"identities": {"email": "ada@example.com", "externalId": "crm-4711"}, "attributes": {"firstName": "Ada", "timezone": "Europe/Berlin"}}""")
  @PostMapping
  ResponseEntity<Profile> upsert(@Valid @RequestBody UpsertRequest request) {
    Profiles.Upserted result = profiles.upsert(request.identities(), request.attributes());
    Profile p = result.profile();
    return result.created()
        ? ResponseEntity.created(URI.create("/api/profiles/" + p.id())).body(p)
        : ResponseEntity.ok(p);
  }

  record TestProfileRequest(
      @ProblemType("missing-test-profile") @NotNull(message = "is required: true or false") Boolean testProfile) {}

  /**
   * Marks the profile as a test profile (its messages go to the file outbox, its waits shrink) or, with false, as a
   * customer again. The one reserved attribute a marketer may set, to walk a journey before launch; logged with who.
   */
  @Operation(summary = "Mark a profile as a test profile, or as a customer again")
  @ApiResponse(responseCode = "200", description = "The profile as it is now")
  @ApiResponse(responseCode = "400", description = "testProfile is missing")
  @ApiResponse(responseCode = "404", description = "No profile with this id")
  @RequestExample("""
      {"testProfile": true}""")
  @PutMapping("/{profileId}/test-profile")
  Profile testProfile(@PathVariable String profileId, @Valid @RequestBody TestProfileRequest body,
      HttpServletRequest request) {
    if (!profiles.updateAttributes(profileId, Map.of(ReservedAttributes.TEST_PROFILE, body.testProfile()))) {
      throw ApiProblem.notFound("profile", "No profile with id " + profileId);
    }
    log.info("Profile {} marked as {} by {}", profileId, body.testProfile() ? "a test profile" : "a customer",
        Caller.of(request));
    return get(profileId);
  }

  @Operation(summary = "Read a profile")
  @ApiResponse(responseCode = "200", description = "The profile")
  @ApiResponse(responseCode = "404", description = "No profile with this id")
  @GetMapping("/{profileId}")
  Profile get(@PathVariable String profileId) {
    return profiles.find(profileId).orElseThrow(() -> ApiProblem.notFound("profile", "No profile with id " + profileId));
  }

  /** Look-up by one identity, e.g. {@code ?email=ada@example.com}. */
  @Operation(summary = "Look a profile up by one identity")
  @ApiResponse(responseCode = "200", description = "The profile")
  @ApiResponse(responseCode = "404", description = "No profile has this identity")
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
