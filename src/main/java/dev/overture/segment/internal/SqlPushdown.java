package dev.overture.segment.internal;

import dev.overture.profile.AttributeCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camunda.feel.syntaxtree.AtLeastOne;
import org.camunda.feel.syntaxtree.Conjunction;
import org.camunda.feel.syntaxtree.ConstList;
import org.camunda.feel.syntaxtree.ConstNumber;
import org.camunda.feel.syntaxtree.ConstString;
import org.camunda.feel.syntaxtree.Equal;
import org.camunda.feel.syntaxtree.Exp;
import org.camunda.feel.syntaxtree.GreaterOrEqual;
import org.camunda.feel.syntaxtree.GreaterThan;
import org.camunda.feel.syntaxtree.In;
import org.camunda.feel.syntaxtree.InputEqualTo;
import org.camunda.feel.syntaxtree.LessOrEqual;
import org.camunda.feel.syntaxtree.LessThan;
import org.camunda.feel.syntaxtree.Ref;
import org.camunda.feel.syntaxtree.UnaryTestExpression;

/**
 * Translates the simple parts of a segment expression into SQL conditions on the profile table, so
 * a scan reads only candidates. The top-level {@code and}s of the expression are split; a part of
 * the form {@code attr = "x"}, {@code attr in ["x", "y"]}, {@code attr in ("x", "y")} or
 * {@code attr >= 40} ({@code >}, {@code <}, {@code <=} too) becomes a condition, any other part stays
 * with FEEL. Since every part of a conjunction must hold, the conditions select a superset of the
 * members; when every part is a string condition on an attribute with an exact indexed column,
 * they select exactly the members and FEEL is not needed at all.
 */
public final class SqlPushdown {

  /** The conditions and whether they alone decide membership. */
  public record Plan(List<AttributeCondition> conditions, boolean exact) {}

  private SqlPushdown() {}

  public static Plan plan(Exp expression) {
    List<Exp> parts = new ArrayList<>();
    flatten(expression, parts);
    List<AttributeCondition> conditions = new ArrayList<>();
    boolean exact = true;
    for (Exp part : parts) {
      Optional<AttributeCondition> c = condition(part);
      if (c.isPresent()) {
        conditions.add(c.get());
        exact &= c.get().exact();
      } else {
        exact = false;
      }
    }
    return new Plan(List.copyOf(conditions), exact);
  }

  private static void flatten(Exp e, List<Exp> out) {
    if (e instanceof Conjunction c) {
      flatten(c.x(), out);
      flatten(c.y(), out);
    } else {
      out.add(e);
    }
  }

  private static Optional<AttributeCondition> condition(Exp e) {
    if (e instanceof Equal eq) {
      Optional<String> attr = attribute(eq.x()).or(() -> attribute(eq.y()));
      Optional<String> value = string(eq.y()).or(() -> string(eq.x()));
      return attr.flatMap(a -> value.map(v -> AttributeCondition.oneOf(a, List.of(v))));
    }
    if (e instanceof In in) {
      Optional<String> attr = attribute(in.x());
      Optional<List<String>> values = Optional.empty();
      if (in.test() instanceof UnaryTestExpression ute && ute.exp() instanceof ConstList list) {
        values = strings(list.items());
      } else if (in.test() instanceof AtLeastOne any) {
        values = strings(any.xs());
      }
      Optional<List<String>> vs = values;
      return attr.flatMap(a -> vs.map(v -> AttributeCondition.oneOf(a, v)));
    }
    if (e instanceof GreaterThan c) {
      return comparison(c.x(), ">", c.y());
    }
    if (e instanceof GreaterOrEqual c) {
      return comparison(c.x(), ">=", c.y());
    }
    if (e instanceof LessThan c) {
      return comparison(c.x(), "<", c.y());
    }
    if (e instanceof LessOrEqual c) {
      return comparison(c.x(), "<=", c.y());
    }
    return Optional.empty();
  }

  private static Optional<AttributeCondition> comparison(Exp x, String op, Exp y) {
    if (attribute(x).isPresent() && y instanceof ConstNumber n) {
      return Optional.of(AttributeCondition.compare(attribute(x).get(), op, n.value().bigDecimal()));
    }
    if (attribute(y).isPresent() && x instanceof ConstNumber n) {
      String flipped = op.startsWith(">") ? op.replace('>', '<') : op.replace('<', '>');
      return Optional.of(AttributeCondition.compare(attribute(y).get(), flipped, n.value().bigDecimal()));
    }
    return Optional.empty();
  }

  private static Optional<String> attribute(Exp e) {
    if (e instanceof Ref ref && ref.names().length() == 1 && AttributeCondition.plainName(ref.names().head())) {
      return Optional.of(ref.names().head());
    }
    return Optional.empty();
  }

  private static Optional<String> string(Exp e) {
    return e instanceof ConstString s ? Optional.of(s.value()) : Optional.empty();
  }

  private static Optional<List<String>> strings(camundajar.impl.scala.collection.immutable.List<Exp> items) {
    List<String> out = new ArrayList<>();
    var it = items.iterator();
    while (it.hasNext()) {
      Exp item = it.next();
      if (item instanceof InputEqualTo eq) {
        item = eq.x();
      } else if (item instanceof UnaryTestExpression ute) {
        item = ute.exp();
      }
      if (!(item instanceof ConstString s)) {
        return Optional.empty();
      }
      out.add(s.value());
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }
}
