package dev.overture.delivery.internal;

import dev.overture.consent.Channel;
import dev.overture.consent.Consents;
import dev.overture.consent.Purpose;
import dev.overture.platform.ApiProblem;
import dev.overture.profile.TestProfiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * Public tracking links (no API key; the HMAC-signed token is the credential): the open pixel,
 * the click redirect (only ever to the URL inside the token), and the unsubscribe page with its
 * one-click POST (RFC 8058) that revokes marketing consent for the channel.
 */
@Tag(name = "Tracking links", description = "Public links in messages; the signed token is the credential")
@RestController
@RequestMapping("/t")
class TrackingController {

  private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  private final TrackingTokens tokens;
  private final Outcomes outcomes;
  private final Consents consents;
  private final TestProfiles profiles;

  TrackingController(TrackingTokens tokens, Outcomes outcomes, Consents consents, TestProfiles profiles) {
    this.tokens = tokens;
    this.outcomes = outcomes;
    this.consents = consents;
    this.profiles = profiles;
  }

  @Operation(summary = "Open pixel (signed token)")
  @ApiResponse(responseCode = "200", description = "A 1x1 GIF", content = @Content(mediaType = "image/gif", schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(responseCode = "400", description = "The token is invalid or was altered")
  @GetMapping("/o/{token}")
  ResponseEntity<byte[]> open(@PathVariable String token) {
    TrackingTokens.Claims c = verify(token, "o");
    Optional<Boolean> testProfile = TestSends.isTest(c.outboxId()) ? Optional.empty() : profiles.of(c.profileId());
    testProfile.ifPresent(test -> outcomes.record(c.outboxId(), c.profileId(), c.channel(), null, null, "opened", null, null, test));
    return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).cacheControl(CacheControl.noStore()).body(PIXEL);
  }

  @Operation(summary = "Click redirect to the URL inside the signed token")
  @ApiResponse(responseCode = "302", description = "To the link's target", headers = @Header(name = "Location", description = "The link's target", schema = @Schema(type = "string", format = "uri")))
  @ApiResponse(responseCode = "400", description = "The token is invalid or was altered")
  @GetMapping("/c/{token}")
  ResponseEntity<Void> click(@PathVariable String token) {
    TrackingTokens.Claims c = verify(token, "c");
    URI target = URI.create(c.url());
    Optional<Boolean> testProfile = TestSends.isTest(c.outboxId()) ? Optional.empty() : profiles.of(c.profileId());
    testProfile.ifPresent(test -> outcomes.record(c.outboxId(), c.profileId(), c.channel(), null, null, "clicked", null,
        shortHash(c.url()), test));
    return ResponseEntity.status(HttpStatus.FOUND).location(target).cacheControl(CacheControl.noStore()).build();
  }

  /** The link in the message: a page with a button, so link scanners that follow GETs unsubscribe nobody. */
  @Operation(summary = "Unsubscribe page with a confirmation button (signed token)")
  @ApiResponse(responseCode = "200", description = "The page")
  @ApiResponse(responseCode = "400", description = "The token is invalid or was altered")
  @GetMapping(value = "/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
  String unsubscribePage(@PathVariable String token) {
    verify(token, "u");
    String action = HtmlUtils.htmlEscape("/t/u/" + token);
    return """
        <!doctype html><html><head><meta charset="utf-8"><title>Unsubscribe</title></head><body>
        <form method="post" action="%s"><p>Stop marketing messages on this channel?</p>
        <button type="submit">Unsubscribe</button></form></body></html>""".formatted(action);
  }

  /** One-click unsubscribe (RFC 8058 POST, or the page's button): revokes marketing consent for the channel. */
  @Operation(summary = "One-click unsubscribe (RFC 8058): revokes marketing consent for the channel")
  @ApiResponse(responseCode = "200", description = "Unsubscribed")
  @ApiResponse(responseCode = "400", description = "The token is invalid or was altered")
  @PostMapping(value = "/u/{token}", produces = MediaType.TEXT_HTML_VALUE)
  String unsubscribe(@PathVariable String token) {
    TrackingTokens.Claims c = verify(token, "u");
    Channel channel = Channel.fromKey(c.channel()).orElseThrow(() -> invalid());
    // a test message went to a seed address, not to the profile whose data it showed: nobody is unsubscribed
    Optional<Boolean> testProfile = TestSends.isTest(c.outboxId()) ? Optional.empty() : profiles.of(c.profileId());
    testProfile.ifPresent(test -> {
      consents.record(c.profileId(), channel, Purpose.MARKETING, false, "unsubscribe-link", "recipient");
      outcomes.record(c.outboxId(), c.profileId(), c.channel(), null, null, "unsubscribed", null, null, test);
    });
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>"
        + "<body><p>You are unsubscribed.</p></body></html>";
  }

  private TrackingTokens.Claims verify(String token, String kind) {
    return tokens.verify(token, kind).orElseThrow(TrackingController::invalid);
  }

  private static ApiProblem invalid() {
    return ApiProblem.badRequest("invalid-tracking-token", "The link is invalid or was altered");
  }

  private static String shortHash(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
