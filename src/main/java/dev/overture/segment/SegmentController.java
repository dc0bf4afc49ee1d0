package dev.overture.segment;

import dev.overture.platform.ApiProblem;
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

  record SegmentRequest(String key, String name, String expression) {}

  /** Creates a segment, or a new version of an existing key; 201 with the saved version. */
  @PostMapping
  ResponseEntity<Segment> define(@RequestBody SegmentRequest request) {
    Segment s = segments.define(request.key(), request.name(), request.expression());
    return ResponseEntity.created(URI.create("/api/segments/" + s.key())).body(s);
  }

  /** A new version of the segment; running enrollments keep the version they started with. */
  @PutMapping("/{key}")
  Segment redefine(@PathVariable String key, @RequestBody SegmentRequest request) {
    if (request.key() != null && !request.key().equals(key)) {
      throw ApiProblem.badRequest("segment-key-mismatch", "The body's key '" + request.key() + "' is not the path's '" + key + "'");
    }
    segments.require(key);
    return segments.define(key, request.name(), request.expression());
  }

  @GetMapping("/{key}")
  Segment get(@PathVariable String key, @RequestParam(required = false) Integer version) {
    if (version == null) {
      return segments.require(key);
    }
    return segments.version(key, version)
        .orElseThrow(() -> ApiProblem.notFound("segment", "Segment '" + key + "' has no version " + version));
  }

  @GetMapping("/{key}/count")
  Segments.Count count(@PathVariable String key) {
    return segments.count(key);
  }

  /** Members in profile id order; pass the answer's {@code next} as {@code after} for the following page. */
  @GetMapping("/{key}/members")
  Segments.MembersPage members(@PathVariable String key, @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > 1000) {
      throw ApiProblem.badRequest("invalid-limit", "limit must be between 1 and 1000");
    }
    return segments.members(key, after, limit);
  }
}
