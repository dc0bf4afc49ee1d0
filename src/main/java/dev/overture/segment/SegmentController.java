package dev.overture.segment;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.ProblemType;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
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
@RequestMapping("/api/segments")
class SegmentController {

  private final Segments segments;

  SegmentController(Segments segments) {
    this.segments = segments;
  }

  /** The key is optional in a redefinition, where the path names the segment; {@code Segments} checks it. */
  record SegmentRequest(
      String key,
      @ProblemType("invalid-segment-name") @NotBlank(message = NAME_RULE) @Size(max = 255, message = NAME_RULE) String name,
      @ProblemType("invalid-segment-expression") @NotBlank(message = EXPRESSION_RULE)
      @Size(max = 10_000, message = EXPRESSION_RULE) String expression) {}

  private static final String LIMIT_RULE = "must be between 1 and 1000";
  private static final String NAME_RULE = "must have 1 to 255 characters";
  private static final String EXPRESSION_RULE = "must be a FEEL expression of 1 to 10000 characters";

  /** Creates a segment, or a new version of an existing key; 201 with the saved version. */
  @Operation(summary = "Define a segment, or a new version of it")
  @ApiResponse(responseCode = "201", description = "Saved: the new version")
  @ApiResponse(responseCode = "409", description = "The segment is being changed concurrently; retry")
  @ApiResponse(responseCode = "422", description = "The expression cannot be evaluated")
  @RequestExample("""
      {"key": "newsletter-subscribers", "name": "Newsletter subscribers", "expression": "attributes.newsletter = true"}""")
  @PostMapping
  ResponseEntity<Segment> define(@Valid @RequestBody SegmentRequest request) {
    Segment s = segments.define(request.key(), request.name(), request.expression());
    return ResponseEntity.created(URI.create("/api/segments/" + s.key())).body(s);
  }

  /** A new version of the segment; running enrollments keep the version they started with. */
  @Operation(summary = "Redefine a segment (a new version)")
  @ApiResponse(responseCode = "200", description = "Saved: the new version")
  @ApiResponse(responseCode = "404", description = "No segment with this key")
  @ApiResponse(responseCode = "409", description = "The segment is being changed concurrently; retry")
  @ApiResponse(responseCode = "422", description = "The expression cannot be evaluated")
  @RequestExample("""
      {"name": "Newsletter subscribers", "expression": "attributes.newsletter = true and count(events[type = \\"purchase.completed\\"]) > 0"}""")
  @PutMapping("/{key}")
  Segment redefine(@PathVariable String key, @Valid @RequestBody SegmentRequest request) {
    if (request.key() != null && !request.key().equals(key)) {
      throw ApiProblem.badRequest("segment-key-mismatch", "The body's key '" + request.key() + "' is not the path's '" + key + "'");
    }
    segments.require(key);
    return segments.define(key, request.name(), request.expression());
  }

  @Operation(summary = "A segment, its current or a given version")
  @ApiResponse(responseCode = "200", description = "The segment")
  @ApiResponse(responseCode = "404", description = "No segment with this key or version")
  @GetMapping("/{key}")
  Segment get(@PathVariable String key, @RequestParam(required = false) Integer version) {
    if (version == null) {
      return segments.require(key);
    }
    return segments.version(key, version)
        .orElseThrow(() -> ApiProblem.notFound("segment", "Segment '" + key + "' has no version " + version));
  }

  @Operation(summary = "A segment's size")
  @ApiResponse(responseCode = "200", description = "The count")
  @ApiResponse(responseCode = "404", description = "No segment with this key")
  @ApiResponse(responseCode = "422", description = "The expression cannot be evaluated")
  @GetMapping("/{key}/count")
  Segments.Count count(@PathVariable String key) {
    return segments.count(key);
  }

  /** Members in profile id order; pass the answer's {@code next} as {@code after} for the following page. */
  @Operation(summary = "A segment's members, a page at a time")
  @ApiResponse(responseCode = "200", description = "A page of members")
  @ApiResponse(responseCode = "404", description = "No segment with this key")
  @ApiResponse(responseCode = "422", description = "The expression cannot be evaluated")
  @GetMapping("/{key}/members")
  Segments.MembersPage members(@PathVariable String key, @RequestParam(required = false) String after,
      @ProblemType("invalid-limit") @Min(value = 1, message = LIMIT_RULE) @Max(value = 1000, message = LIMIT_RULE)
      @RequestParam(defaultValue = "100") int limit) {
    return segments.members(key, after, limit);
  }
}
