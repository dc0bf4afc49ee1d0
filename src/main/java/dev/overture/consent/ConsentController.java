package dev.overture.consent;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
import dev.overture.platform.ProblemType;
import dev.overture.platform.RequestExample;
import dev.overture.profile.Profiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/profiles/{profileId}/consents")
class ConsentController {

  private final Consents consents;
  private final Profiles profiles;

  ConsentController(Consents consents, Profiles profiles) {
    this.consents = consents;
    this.profiles = profiles;
  }

  record ConsentRequest(
      @NotNull(message = "is required: marketing or transactional") String purpose,
      @ProblemType("invalid-consent-status") @NotNull(message = "is required: granted or revoked")
      @Pattern(regexp = "granted|revoked", message = "must be 'granted' or 'revoked', not '${validatedValue}'") String status,
      @Size(max = 200, message = "must have at most 200 characters") String source) {}

  record ConsentView(List<Consent> current, List<Consent> history) {}

  /** Records what the customer said about a channel: {@code {purpose, status: granted|revoked, source}}. */
  @Operation(summary = "Record consent on the customer's behalf")
  @ApiResponse(responseCode = "200", description = "Recorded")
  @ApiResponse(responseCode = "404", description = "No profile with this id")
  @RequestExample("""
      {"purpose": "marketing", "status": "granted", "source": "signup-form"}""")
  @PutMapping("/{channel}")
  @Transactional
  Consent put(@PathVariable String profileId, @PathVariable String channel, @Valid @RequestBody ConsentRequest body,
      HttpServletRequest request) {
    requireProfile(profileId);
    boolean granted = body.status().equals("granted");
    String source = body.source() == null || body.source().isBlank() ? "api" : body.source();
    return consents.record(profileId, Consents.channel(channel), Consents.purpose(body.purpose()), granted, source,
        Caller.of(request));
  }

  @Operation(summary = "A profile's current consents and their history")
  @ApiResponse(responseCode = "200", description = "The consents")
  @ApiResponse(responseCode = "404", description = "No profile with this id")
  @GetMapping
  ConsentView get(@PathVariable String profileId) {
    requireProfile(profileId);
    return new ConsentView(consents.currentOf(profileId), consents.historyOf(profileId));
  }

  private void requireProfile(String profileId) {
    if (!profiles.exists(profileId)) {
      throw ApiProblem.notFound("profile", "No profile with id " + profileId);
    }
  }
}
