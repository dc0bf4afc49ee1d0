package dev.overture.platform;

import dev.overture.platform.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys for systems (scope {@code admin} or group {@code camunda-admin}): create, list, revoke. */
@Tag(name = "API keys", description = "Keys for systems, with scopes")
@RestController
@RequestMapping("/api/keys")
class ApiKeyController {

  private final ApiKeys keys;

  ApiKeyController(ApiKeys keys) {
    this.keys = keys;
  }

  /** Which scopes exist is known at run time, so {@code create} checks them. */
  record NewKey(
      @ProblemType("invalid-key-name") @NotBlank(message = NAME_RULE) @Size(max = 100, message = NAME_RULE) String name,
      List<String> scopes) {}

  private static final String NAME_RULE = "is required, at most 100 characters";

  /** Creates a key; the answer is the only place the key is ever shown. */
  @Operation(summary = "Create an API key (shown in this answer only)")
  @ApiResponse(responseCode = "201", description = "Created: the key, shown here only")
  @RequestExample("""
      {"name": "shop backend", "scopes": ["events:write", "profiles:write"]}""")
  @PostMapping
  ResponseEntity<ApiKeys.Issued> create(@Valid @RequestBody NewKey body) {
    if (body.scopes() == null || body.scopes().isEmpty()) {
      throw ApiProblem.badRequest("invalid-scopes", "scopes is required: one or more of " + String.join(", ", AccessRules.SCOPES));
    }
    List<String> unknown = body.scopes().stream().filter(s -> !AccessRules.SCOPES.contains(s)).toList();
    if (!unknown.isEmpty()) {
      throw ApiProblem.badRequest("invalid-scopes", "unknown scope(s) " + unknown + "; known scopes: "
          + String.join(", ", AccessRules.SCOPES));
    }
    ApiKeys.Issued issued = keys.create(body.name().trim(), body.scopes());
    return ResponseEntity.created(URI.create("/api/keys/" + issued.id())).body(issued);
  }

  /** Keys in use, with their scopes and when each was last used (to the minute); never a key or its hash. */
  @Operation(summary = "List the API keys in use")
  @GetMapping
  List<ApiKeys.Key> list() {
    return keys.list();
  }

  /** Revokes a key: the next request that presents it is refused, on every node. */
  @Operation(summary = "Revoke an API key")
  @ApiResponse(responseCode = "204", description = "Revoked")
  @ApiResponse(responseCode = "404", description = "No active API key with this id")
  @DeleteMapping("/{id}")
  ResponseEntity<Void> revoke(@PathVariable long id) {
    if (!keys.revoke(id)) {
      throw ApiProblem.notFound("api-key", "No active API key with id " + id);
    }
    return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
  }
}
