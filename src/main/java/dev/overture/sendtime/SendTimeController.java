package dev.overture.sendtime;

import dev.overture.consent.Channel;
import dev.overture.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Send time", description = "When a profile reads its messages, learnt from its opens and clicks")
class SendTimeController {

  private final SendTimes sendTimes;

  SendTimeController(SendTimes sendTimes) {
    this.sendTimes = sendTimes;
  }

  @GetMapping("/api/profiles/{profileId}/send-time")
  @Operation(summary = "A profile's best hours of the week to reach it on a channel, with the model's confidence")
  @ApiResponse(responseCode = "200", description = "The best three hours, best first, in the profile's time zone and as "
      + "their next UTC instant; the confidence, and the opens, clicks and population share the answer rests on")
  @ApiResponse(responseCode = "400", description = "No such channel")
  @ApiResponse(responseCode = "404", description = "No such profile")
  SendTime of(@PathVariable String profileId,
      @Parameter(description = "email (default), sms, push, webhook or audience") @RequestParam(defaultValue = "email") String channel) {
    Channel known = Channel.fromKey(channel).orElseThrow(() -> new InvalidInput("invalid-channel", "Unknown channel '" + channel
        + "'; one of " + Arrays.stream(Channel.values()).map(Channel::key).collect(Collectors.joining(", "))));
    return sendTimes.of(profileId, known.key());
  }
}
