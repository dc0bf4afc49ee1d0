package dev.overture.campaign;

import dev.overture.platform.ApiProblem;
import dev.overture.platform.Caller;
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
  @PostMapping
  ResponseEntity<Campaign> submit(@RequestBody NewCampaign campaign, HttpServletRequest request) {
    Campaign created = campaigns.submit(campaign, Caller.of(request));
    return ResponseEntity.created(URI.create("/api/campaigns/" + created.id())).body(created);
  }

  /** Status, the open task and the audit trail, by campaign id or key. */
  @GetMapping("/{id}")
  Campaign get(@PathVariable String id) {
    return campaigns.find(id).orElseThrow(() -> ApiProblem.notFound("campaign", "No campaign '" + id + "'"));
  }
}
