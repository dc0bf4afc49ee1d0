package dev.overture.consent;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/suppressions")
class SuppressionController {

  private final Suppressions suppressions;

  SuppressionController(Suppressions suppressions) {
    this.suppressions = suppressions;
  }

  record SuppressionRequest(
      @NotNull(message = "is required") String channel,
      @NotBlank(message = "is required") String address,
      String reason) {}

  /** Adds an address to the channel's suppression list: {@code {channel, address, reason: hard-bounce|complaint|manual}}. */
  @Operation(summary = "Suppress an address on a channel")
  @ApiResponse(responseCode = "201", description = "Suppressed now")
  @ApiResponse(responseCode = "200", description = "Was suppressed already")
  @RequestExample("""
      {"channel": "email", "address": "ada@example.com", "reason": "complaint"}""")
  @PostMapping
  ResponseEntity<Suppressions.Suppression> add(@Valid @RequestBody SuppressionRequest body, HttpServletRequest request) {
    Channel channel = Consents.channel(body.channel());
    Suppressions.Reason reason = body.reason() == null ? Suppressions.Reason.MANUAL
        : Suppressions.Reason.fromKey(body.reason()).orElseThrow(() -> ApiProblem.badRequest("invalid-suppression-reason",
            "reason must be hard-bounce, complaint or manual, not '" + body.reason() + "'"));
    boolean added = suppressions.suppress(channel, body.address(), reason, Caller.of(request));
    return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK)
        .body(suppressions.find(channel, body.address()).orElseThrow());
  }

  @Operation(summary = "Whether an address is suppressed on a channel")
  @ApiResponse(responseCode = "200", description = "Suppressed")
  @ApiResponse(responseCode = "404", description = "The address is not suppressed")
  @GetMapping("/{channel}/{address}")
  Suppressions.Suppression get(@PathVariable String channel, @PathVariable String address) {
    return suppressions.find(Consents.channel(channel), address)
        .orElseThrow(() -> ApiProblem.notFound("suppression", "The address is not suppressed on " + channel));
  }

  @Operation(summary = "Lift a suppression")
  @ApiResponse(responseCode = "204", description = "Lifted")
  @ApiResponse(responseCode = "404", description = "The address is not suppressed")
  @DeleteMapping("/{channel}/{address}")
  ResponseEntity<Void> remove(@PathVariable String channel, @PathVariable String address) {
    if (!suppressions.remove(Consents.channel(channel), address)) {
      throw ApiProblem.notFound("suppression", "The address is not suppressed on " + channel);
    }
    return ResponseEntity.noContent().build();
  }
}
