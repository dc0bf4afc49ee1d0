package dev.overture.delivery;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/creatives")
class CreativeController {

  private final Creatives creatives;

  CreativeController(Creatives creatives) {
    this.creatives = creatives;
  }

  /** Creates the next version of a creative for a channel; it waits for approval before it can be sent. */
  @Operation(summary = "Write the next version of a creative for a channel")
  @ApiResponse(responseCode = "201", description = "Created: the new version, waiting for approval")
  @ApiResponse(responseCode = "409", description = "A concurrent edit of the same creative; retry")
  @RequestExample("""
      {"key": "welcome", "channel": "email", "subject": "Welcome, {{firstName}}", "html": "<p>Hello {{firstName}}</p>", "text": "Hello {{firstName}}"}""")
  @PostMapping
  ResponseEntity<Creative> create(@RequestBody Creative.Draft draft, HttpServletRequest request) {
    Creative created = creatives.create(draft, Caller.of(request));
    return ResponseEntity.created(URI.create("/api/creatives/" + created.key() + "/" + created.channel() + "/versions/"
        + created.version())).body(created);
  }

  /** Every version of the creative on every channel, with its approval status. */
  @Operation(summary = "Every version of a creative on every channel")
  @ApiResponse(responseCode = "200", description = "The versions")
  @ApiResponse(responseCode = "404", description = "No creative with this key")
  @GetMapping("/{key}")
  List<Creative> get(@PathVariable String key) {
    List<Creative> all = creatives.find(key);
    if (all.isEmpty()) {
      throw ApiProblem.notFound("creative", "No creative with key '" + key + "'");
    }
    return all;
  }

  @Operation(summary = "One version of a creative")
  @ApiResponse(responseCode = "200", description = "The version")
  @ApiResponse(responseCode = "404", description = "No such creative version")
  @GetMapping("/{key}/{channel}/versions/{version}")
  Creative version(@PathVariable String key, @PathVariable String channel, @PathVariable int version) {
    return creatives.find(key, channel, version).orElseThrow(() ->
        ApiProblem.notFound("creative", "No creative '" + key + "' version " + version + " for " + channel));
  }

  /**
   * Approves a version: the access rules let only people in the approver group
   * ({@code overture.delivery.creatives.approver-group}) call this, never an API key; never the author.
   */
  @Operation(summary = "Approve a creative version (four eyes)")
  @ApiResponse(responseCode = "200", description = "Approved")
  @ApiResponse(responseCode = "404", description = "No such creative version")
  @ApiResponse(responseCode = "409", description = "The author cannot approve their own version")
  @PostMapping("/{key}/{channel}/versions/{version}/approval")
  Creative approve(@PathVariable String key, @PathVariable String channel, @PathVariable int version, HttpServletRequest request) {
    return creatives.approve(key, channel, version, Caller.of(request));
  }

  /** Renders any version for one profile, as it would go out. */
  @Operation(summary = "Render a creative version for one profile")
  @ApiResponse(responseCode = "200", description = "The rendered message")
  @ApiResponse(responseCode = "404", description = "No such creative version or profile")
  @GetMapping("/{key}/{channel}/versions/{version}/preview")
  Creative.Rendered preview(@PathVariable String key, @PathVariable String channel, @PathVariable int version,
      @RequestParam String profileId) {
    return creatives.render(key, channel, version, profileId);
  }
}
