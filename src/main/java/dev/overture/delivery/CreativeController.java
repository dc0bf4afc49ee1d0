package dev.overture.delivery;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
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
  @PostMapping
  ResponseEntity<Creative> create(@RequestBody Creative.Draft draft, HttpServletRequest request) {
    Creative created = creatives.create(draft, Caller.of(request));
    return ResponseEntity.created(URI.create("/api/creatives/" + created.key() + "/" + created.channel() + "/versions/"
        + created.version())).body(created);
  }

  /** Every version of the creative on every channel, with its approval status. */
  @GetMapping("/{key}")
  List<Creative> get(@PathVariable String key) {
    List<Creative> all = creatives.find(key);
    if (all.isEmpty()) {
      throw ApiProblem.notFound("creative", "No creative with key '" + key + "'");
    }
    return all;
  }

  @GetMapping("/{key}/{channel}/versions/{version}")
  Creative version(@PathVariable String key, @PathVariable String channel, @PathVariable int version) {
    return creatives.find(key, channel, version).orElseThrow(() ->
        ApiProblem.notFound("creative", "No creative '" + key + "' version " + version + " for " + channel));
  }

  /**
   * Approves a version: the access rules let only people in the approver group
   * ({@code overture.delivery.creatives.approver-group}) call this, never an API key; never the author.
   */
  @PostMapping("/{key}/{channel}/versions/{version}/approval")
  Creative approve(@PathVariable String key, @PathVariable String channel, @PathVariable int version, HttpServletRequest request) {
    return creatives.approve(key, channel, version, Caller.of(request));
  }

  /** Renders any version for one profile, as it would go out. */
  @GetMapping("/{key}/{channel}/versions/{version}/preview")
  Creative.Rendered preview(@PathVariable String key, @PathVariable String channel, @PathVariable int version,
      @RequestParam String profileId) {
    return creatives.render(key, channel, version, profileId);
  }
}
