package dev.overture.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Which properties of an answer are always there, in one rule. Answers leave out a property without a value
 * (Jackson's {@code non_null} inclusion), so a component of an answer's record is required unless declared
 * {@code @Nullable}; a nullable one that the record includes always ({@code @JsonInclude(ALWAYS)}) is required and
 * may be {@code null}. A request's required properties are what its Bean Validation constraints say (swagger-core
 * reads them): a client may leave out the rest. A schema that is both keeps the request's view. Two records of one
 * simple name would share one schema, so that fails the document.
 */
final class AnswerSchemas implements OpenApiCustomizer {

  private static final String MODULES = "dev.overture.";

  private final RequestMappingHandlerMapping mapping;

  AnswerSchemas(RequestMappingHandlerMapping mapping) {
    this.mapping = mapping;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void customise(OpenAPI openApi) {
    Map<String, Class<?>> records = new HashMap<>();
    for (HandlerMethod handler : mapping.getHandlerMethods().values()) {
      if (handler.getBeanType().getName().startsWith(MODULES)) {
        collect(handler.getMethod().getGenericReturnType(), records, new HashSet<>());
        for (Type parameter : handler.getMethod().getGenericParameterTypes()) {
          collect(parameter, records, new HashSet<>());
        }
      }
    }
    Map<String, Schema> schemas = openApi.getComponents().getSchemas();
    Set<String> requests = reachable(schemas, roots(openApi, true));
    for (String name : reachable(schemas, roots(openApi, false))) {
      Class<?> type = records.get(name);
      if (requests.contains(name) || type == null || schemas.get(name).getProperties() == null) {
        continue;
      }
      answer(schemas.get(name), type);
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void answer(Schema schema, Class<?> type) {
    boolean alwaysIncluded = included(type.getAnnotation(JsonInclude.class));
    List<String> required = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      Schema property = (Schema) schema.getProperties().get(component.getName());
      if (property == null) {
        continue;
      }
      boolean nullable = Arrays.stream(component.getAccessor().getAnnotations())
          .map(Annotation::annotationType).anyMatch(a -> a.getSimpleName().equals("Nullable"));
      boolean always = alwaysIncluded || included(component.getAccessor().getAnnotation(JsonInclude.class));
      if (!nullable || always) {
        required.add(component.getName());
      }
      if (nullable && always) {
        nullable(property);
      }
    }
    schema.setRequired(required);
  }

  /** {@code null} beside the property's type; a reference gets it through {@code anyOf}: 3.1 has no type beside one. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void nullable(Schema property) {
    if (property.get$ref() != null) {
      Schema ref = new Schema().$ref(property.get$ref());
      property.set$ref(null);
      property.setAnyOf(List.of(ref, new io.swagger.v3.oas.models.media.JsonSchema().types(Set.of("null"))));
    } else if (property.getTypes() != null) {
      Set<String> types = new LinkedHashSet<>(property.getTypes());
      types.add("null");
      property.setTypes(types);
    }
  }

  private static boolean included(JsonInclude include) {
    return include != null && include.value() == JsonInclude.Include.ALWAYS;
  }

  /** The records of ours a type names, through lists, maps, optionals and response entities, by schema name. */
  private static void collect(Type type, Map<String, Class<?>> records, Set<Type> seen) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof ParameterizedType p) {
      Arrays.stream(p.getActualTypeArguments()).forEach(t -> collect(t, records, seen));
    } else if (type instanceof Class<?> c && c.isRecord() && c.getName().startsWith(MODULES)) {
      var named = c.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
      String name = named != null && !named.name().isEmpty() ? named.name() : c.getSimpleName();
      Class<?> other = records.putIfAbsent(name, c);
      if (other != null && other != c) {
        throw new IllegalStateException("Two records named " + name + " (" + other.getName() + ", "
            + c.getName() + ") would share one schema: give one @Schema(name = ...)");
      }
      for (RecordComponent component : c.getRecordComponents()) {
        collect(component.getGenericType(), records, seen);
      }
    }
  }

  @SuppressWarnings("rawtypes")
  private static Set<String> roots(OpenAPI openApi, boolean requests) {
    Set<String> names = new TreeSet<>();
    openApi.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
      if (requests) {
        refs(op.getRequestBody() == null ? null : op.getRequestBody().getContent(), names);
        refs(op.getParameters(), names);
      } else {
        refs(op.getResponses(), names);
      }
    }));
    return names;
  }

  @SuppressWarnings("rawtypes")
  private static Set<String> reachable(Map<String, Schema> schemas, Set<String> roots) {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (seen.add(name) && schemas.containsKey(name)) {
        Set<String> next = new TreeSet<>();
        refs(schemas.get(name), next);
        todo.addAll(next);
      }
    }
    return seen;
  }

  /** The component names that {@code $ref}s anywhere in this part of the model point to. */
  @SuppressWarnings("rawtypes")
  private static void refs(Object node, Set<String> names) {
    if (node instanceof Schema s) {
      if (s.get$ref() != null) {
        names.add(s.get$ref().substring(s.get$ref().lastIndexOf('/') + 1));
      }
      refs(s.getProperties(), names);
      refs(s.getItems(), names);
      refs(s.getAllOf(), names);
      refs(s.getAnyOf(), names);
      refs(s.getOneOf(), names);
      if (s.getAdditionalProperties() instanceof Schema additional) {
        refs(additional, names);
      }
    } else if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> refs(v, names));
    } else if (node instanceof Iterable<?> list) {
      list.forEach(v -> refs(v, names));
    } else if (node instanceof io.swagger.v3.oas.models.media.MediaType media) {
      refs(media.getSchema(), names);
    } else if (node instanceof io.swagger.v3.oas.models.responses.ApiResponse response) {
      refs(response.getContent(), names);
    } else if (node instanceof io.swagger.v3.oas.models.parameters.Parameter parameter) {
      refs(parameter.getSchema(), names);
    }
  }
}
