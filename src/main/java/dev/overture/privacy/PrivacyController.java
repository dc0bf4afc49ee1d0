package dev.overture.privacy;

import dev.overture.platform.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/profiles/{profileId}")
class PrivacyController {

  private final Privacy privacy;

  PrivacyController(Privacy privacy) {
    this.privacy = privacy;
  }

  /** GDPR access: everything held about the profile. */
  @Operation(summary = "Export everything held about a profile (GDPR access)")
  @ApiResponse(responseCode = "200", description = "The export")
  @ApiResponse(responseCode = "404", description = "No profile with this id")
  @GetMapping("/export")
  Privacy.Export export(@PathVariable String profileId) {
    return privacy.export(profileId);
  }

  /** GDPR erasure: cancels journeys, removes personal data everywhere, audits without PII. */
  @Operation(summary = "Erase a profile (GDPR erasure)")
  @ApiResponse(responseCode = "200", description = "Erased: what was removed, without personal data")
  @ApiResponse(responseCode = "404", description = "No profile with this id")
  @DeleteMapping
  Privacy.Erased erase(@PathVariable String profileId, HttpServletRequest request) {
    return privacy.erase(profileId, Caller.of(request));
  }
}
