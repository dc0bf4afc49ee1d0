package dev.overture.campaign;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
import dev.overture.platform.RequestExample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/campaigns")
class CampaignController {

  private final Campaigns campaigns;

  CampaignController(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  /** Submits a campaign for approval: 201 with the campaign, now in creative review. */
  @Operation(summary = "Submit a campaign for approval")
  @ApiResponse(responseCode = "201", description = "Submitted: the campaign, now in creative review")
  @ApiResponse(responseCode = "409", description = "A campaign with this key exists")
  @ApiResponse(responseCode = "422", description = "Author, audience or content cannot be used")
  @RequestExample("""
      {"key": "winter-sale", "name": "Winter sale", "journeyKey": "welcome", "segmentKey": "newsletter-subscribers", "creativeKeys": ["welcome"], "startAt": "2026-12-10T08:00:00Z", "endAt": "2027-01-10T08:00:00Z", "author": "mia"}""")
  @PostMapping
  ResponseEntity<Campaign> submit(@RequestBody NewCampaign campaign, HttpServletRequest request) {
    Campaign created = campaigns.submit(campaign, Caller.of(request));
    return ResponseEntity.created(URI.create("/api/campaigns/" + created.id())).body(created);
  }

  /** Status, the open task and the audit trail, by campaign id or key. */
  @Operation(summary = "A campaign, its review state and audit trail")
  @ApiResponse(responseCode = "200", description = "The campaign")
  @ApiResponse(responseCode = "404", description = "No campaign with this id or key")
  @GetMapping("/{id}")
  Campaign get(@PathVariable String id) {
    return campaigns.find(id).orElseThrow(() -> ApiProblem.notFound("campaign", "No campaign '" + id + "'"));
  }
}
