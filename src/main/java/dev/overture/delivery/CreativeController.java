package dev.overture.delivery;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.delivery.internal.TestSends;
import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
import dev.overture.platform.ProblemType;
import dev.overture.platform.RequestExample;
import dev.overture.profile.Profile;
import dev.overture.profile.Profiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/creatives")
class CreativeController {

  private final Creatives creatives;
  private final Profiles profiles;
  private final TestSends testSends;

  CreativeController(Creatives creatives, Profiles profiles, TestSends testSends) {
    this.creatives = creatives;
    this.profiles = profiles;
    this.testSends = testSends;
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

  /** A profile and, optionally, the event and journey variables a message would speak about. */
  record PreviewRequest(
      @ProblemType("invalid-preview") @NotBlank(message = PROFILE_RULE) String profileId,
      Map<String, Object> event,
      Map<String, Object> journey,
      @ProblemType("invalid-preview") @Pattern(regexp = PURPOSES, message = PURPOSE_RULE) String purpose) {}

  private static final String PROFILE_RULE = "is required: the profile whose message to show";
  private static final String PURPOSES = "|marketing|transactional";
  private static final String PURPOSE_RULE = "must be marketing or transactional";

  /** A preview's inputs and the seed-list recipients to send it to (all seeds of the channel when absent). */
  record TestSendRequest(
      @ProblemType("invalid-preview") @NotBlank(message = PROFILE_RULE) String profileId,
      Map<String, Object> event,
      Map<String, Object> journey,
      @ProblemType("invalid-preview") @Pattern(regexp = PURPOSES, message = PURPOSE_RULE) String purpose,
      List<String> to) {}

  /**
   * Renders any version (approved or not) exactly as the profile would receive it: its locale variant, money
   * and dates in its locale and time zone, the sample event's values, tracking links and unsubscribe link.
   */
  @Operation(summary = "Preview a creative version as one profile would receive it")
  @ApiResponse(responseCode = "200", description = "The message as it would go out: subject, text, HTML, SMS or push")
  @ApiResponse(responseCode = "404", description = "No such creative version or profile")
  @ApiResponse(responseCode = "422", description = "The template uses a value that this profile and event lack and no fallback covers")
  @RequestExample("""
      {"profileId": "3f1c2a9e-5d7b-4c1a-9e2f-0a1b2c3d4e5f", "event": {"cartId": "c-1001", "value": 49.90, "currency": "EUR",
       "items": [{"name": "Mug", "quantity": 2, "price": 12.45}, {"name": "Tea", "quantity": 1, "price": 25.00}]}}""")
  @PostMapping("/{key}/{channel}/versions/{version}/preview")
  Creative.Rendered preview(@PathVariable String key, @PathVariable String channel, @PathVariable int version,
      @Valid @RequestBody PreviewRequest body) {
    MessageContext context = context(body.profileId(), body.event(), body.journey());
    return testSends.preview(render(key, channel, version, context), body.profileId(), marketing(body.purpose()));
  }

  /**
   * Sends the preview, subject (or SMS text, push title) marked {@code [TEST]}, through the channel's real
   * provider to seed-list recipients only; no consent, cap, quiet hours or outcome event applies.
   */
  @Operation(summary = "Send a creative version as one profile would receive it, marked [TEST], to the seed list")
  @ApiResponse(responseCode = "200", description = "Sent: the rendering and one test delivery per recipient (sent or failed)")
  @ApiResponse(responseCode = "404", description = "No such creative version or profile")
  @ApiResponse(responseCode = "422", description = "A recipient is not on the seed list, the channel has none, or a value lacks a fallback")
  @RequestExample("""
      {"profileId": "3f1c2a9e-5d7b-4c1a-9e2f-0a1b2c3d4e5f", "event": {"cartId": "c-1001", "value": 49.90}, "to": ["qa@shop.example.com"]}""")
  @PostMapping("/{key}/{channel}/versions/{version}/test-send")
  TestSends.Sent testSend(@PathVariable String key, @PathVariable String channel, @PathVariable int version,
      @Valid @RequestBody TestSendRequest body, HttpServletRequest http) {
    MessageContext context = context(body.profileId(), body.event(), body.journey());
    return testSends.send(render(key, channel, version, context), body.profileId(), marketing(body.purpose()), body.to(),
        Caller.of(http));
  }

  private MessageContext context(String profileId, Map<String, Object> event, Map<String, Object> journey) {
    Profile profile = profiles.find(profileId).orElseThrow(() -> ApiProblem.notFound("profile", "No profile with id " + profileId));
    return MessageContext.of(profile, event, journey);
  }

  private Creative.Rendered render(String key, String channel, int version, MessageContext context) {
    Creative creative = creatives.find(key, channel, version).orElseThrow(() ->
        ApiProblem.notFound("creative", "No creative '" + key + "' version " + version + " for " + channel));
    if (Channel.fromKey(channel).filter(c -> c != Channel.AUDIENCE).isEmpty()) {
      throw ApiProblem.notFound("creative", "No creative '" + key + "' version " + version + " for " + channel);
    }
    try {
      return creatives.render(creative, context);
    } catch (MissingTemplateValue e) {
      throw ApiProblem.unprocessable("missing-template-value", "This profile would get no message: " + e.getMessage());
    }
  }

  private static boolean marketing(String purpose) {
    return purpose == null || purpose.isEmpty() || Purpose.fromKey(purpose).orElseThrow() == Purpose.MARKETING;
  }
}
