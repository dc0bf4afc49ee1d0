package dev.overture.delivery;

import dev.overture.platform.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/deliveries")
class DeliveryController {

  private final Deliveries deliveries;

  DeliveryController(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  /** What was sent, suppressed or failed for a profile, and why. */
  @Operation(summary = "A profile's deliveries: sent, suppressed or failed, and why")
  @GetMapping
  List<Delivery> ofProfile(@RequestParam String profileId) {
    return deliveries.ofProfile(profileId);
  }

  @Operation(summary = "One delivery")
  @ApiResponse(responseCode = "200", description = "The delivery")
  @ApiResponse(responseCode = "404", description = "No delivery with this id")
  @GetMapping("/{id}")
  Delivery get(@PathVariable String id) {
    return deliveries.find(id).orElseThrow(() -> ApiProblem.notFound("delivery", "No delivery with id " + id));
  }
}
