package dev.overture.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The budgets of {@link StatementBudgetTest} ({@code src/test/resources/statement-budgets.properties}: per unit
 * {@code <unit>.statements} and {@code <unit>.commits}) and the report of one run against them.
 */
final class StatementBudgets {

  static final String FILE = "/statement-budgets.properties";
  private static final String ROW = "%-40s %11s %7s %8s %7s %25s%n";

  /** What one unit cost: statements and commits counted, the time-based statements left out, what ran (or null). */
  record Cost(String unit, double statements, double commits, double timeBased, String detail) {}

  /** The counts against the budgets: the units over one (each a line), and the whole report. */
  record Verdict(List<String> over, String table, String report) {}

  private final Properties budgets = new Properties();

  StatementBudgets() {
    try (InputStream in = StatementBudgets.class.getResourceAsStream(FILE)) {
      budgets.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Verdict judge(List<Cost> costs) {
    List<String> over = new ArrayList<>();
    List<String> under = new ArrayList<>();
    StringBuilder table = new StringBuilder("Statements per unit of work (budgets: src/test/resources" + FILE + ")\n")
        .append(String.format(ROW, "unit", "statements", "budget", "commits", "budget", "time-based (not counted)"));
    for (Cost c : costs) {
      Double statements = budget(c.unit() + ".statements");
      Double commits = budget(c.unit() + ".commits");
      table.append(String.format(ROW, c.unit(), number(c.statements()), number(statements), number(c.commits()),
          number(commits), number(c.timeBased())));
      check(over, under, c.unit() + ".statements", c.statements(), statements);
      check(over, under, c.unit() + ".commits", c.commits(), commits);
    }
    StringBuilder report = new StringBuilder(table);
    list(report, "Over budget:", over);
    list(report, "Under budget (lower the budget to the count, so it holds the gain):", under);
    report.append("\nWhat each unit ran, by thread (* = counted):\n");
    costs.stream().filter(c -> c.detail() != null)
        .forEach(c -> report.append("\n").append(c.unit()).append(":\n").append(c.detail()));
    return new Verdict(List.copyOf(over), table.toString(), report.toString());
  }

  private Double budget(String key) {
    String value = budgets.getProperty(key);
    return value == null ? null : Double.valueOf(value.trim());
  }

  private static void check(List<String> over, List<String> under, String key, double count, Double budget) {
    if (budget == null) {
      over.add(key + ": no budget in " + FILE + " (measured " + number(count) + ")");
    } else if (count > budget + 1e-9) {
      over.add(key + ": " + number(count) + " > budget " + number(budget));
    } else if (count < budget - 1e-9) {
      under.add(key + ": " + number(count) + " < budget " + number(budget));
    }
  }

  private static void list(StringBuilder report, String heading, List<String> lines) {
    if (!lines.isEmpty()) {
      report.append('\n').append(heading).append('\n');
      lines.forEach(l -> report.append("  ").append(l).append('\n'));
    }
  }

  private static String number(Double d) {
    if (d == null) {
      return "-";
    }
    return d == Math.rint(d) ? Long.toString(d.longValue()) : String.format("%.2f", d);
  }
}
