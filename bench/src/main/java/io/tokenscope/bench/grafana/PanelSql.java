package io.tokenscope.bench.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A panel's SQL as it reaches ClickHouse: Grafana first replaces template variables, then the
 * grafana-clickhouse-datasource backend expands its $__ macros (pkg/macros/macros.go of the
 * plugin). Only what the dashboards here use is supported, and anything else starting with $ is
 * an error, so a panel cannot use a macro or variable form these tests would not check.
 */
public final class PanelSql {
    /** The dashboard's time range and the interval Grafana derived from it for the panel. */
    public record Range(Instant from, Instant to, Duration interval) {}

    private PanelSql() {}

    public static String expand(String sql, Map<String, List<String>> variables, Range range) {
        return macros(variables(sql, variables), range);
    }

    /** ${name}, ${name:singlequote} and $name, as Grafana's template service formats them. */
    static String variables(String sql, Map<String, List<String>> variables) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c != '$' || sql.startsWith("$__", i)) {
                out.append(c);
                i++;
                continue;
            }
            String name;
            String format = null;
            int end;
            if (i + 1 < sql.length() && sql.charAt(i + 1) == '{') {
                end = sql.indexOf('}', i);
                if (end < 0) throw new IllegalArgumentException("unclosed ${ at " + i + " in: " + sql);
                String body = sql.substring(i + 2, end);
                int colon = body.indexOf(':');
                name = colon < 0 ? body : body.substring(0, colon);
                format = colon < 0 ? null : body.substring(colon + 1);
                end++;
            } else {
                end = i + 1;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) end++;
                name = sql.substring(i + 1, end);
            }
            List<String> values = variables.get(name);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("variable $" + name + " has no value in: " + sql);
            }
            out.append(format(name, values, format));
            i = end;
        }
        return out.toString();
    }

    private static String format(String name, List<String> values, String format) {
        if (format == null) {
            if (values.size() != 1) {
                throw new IllegalArgumentException("$" + name + " holds several values; use ${" + name + ":singlequote}");
            }
            return values.get(0);
        }
        return switch (format) {
            // Grafana's singlequote format escapes a quote with a backslash, as ClickHouse reads it.
            case "singlequote" -> values.stream().map(v -> "'" + v.replace("'", "\\'") + "'")
                    .collect(Collectors.joining(","));
            case "sqlstring" -> values.stream().map(v -> "'" + v.replace("'", "''") + "'")
                    .collect(Collectors.joining(","));
            default -> throw new IllegalArgumentException("variable format :" + format + " is not supported here");
        };
    }

    /** The plugin's backend macros; see its pkg/macros/macros.go for each expansion. */
    static String macros(String sql, Range range) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            int at = sql.indexOf("$__", i);
            if (at < 0) {
                out.append(sql, i, sql.length());
                break;
            }
            out.append(sql, i, at);
            int nameEnd = at + 3;
            while (nameEnd < sql.length() && (Character.isLetterOrDigit(sql.charAt(nameEnd)) || sql.charAt(nameEnd) == '_')) {
                nameEnd++;
            }
            String name = sql.substring(at + 3, nameEnd);
            String arg = null;
            int end = nameEnd;
            if (end < sql.length() && sql.charAt(end) == '(') {
                int depth = 0;
                do {
                    char c = sql.charAt(end);
                    if (c == '(') depth++;
                    if (c == ')') depth--;
                    end++;
                } while (depth > 0 && end < sql.length());
                if (depth != 0) throw new IllegalArgumentException("unclosed $__" + name + "( in: " + sql);
                arg = sql.substring(nameEnd + 1, end - 1).strip();
            }
            out.append(macro(name, arg, range));
            i = end;
        }
        return out.toString();
    }

    private static String macro(String name, String arg, Range r) {
        long from = r.from().getEpochSecond(), to = r.to().getEpochSecond();
        long fromMs = r.from().toEpochMilli(), toMs = r.to().toEpochMilli();
        long intervalS = Math.max(r.interval().toSeconds(), 1);
        long intervalMs = Math.max(r.interval().toMillis(), 1);
        String value = switch (name) {
            case "timeFilter" -> need(name, arg) + " >= toDateTime(" + from + ") AND " + arg + " <= toDateTime(" + to + ")";
            case "timeFilter_ms" -> need(name, arg) + " >= fromUnixTimestamp64Milli(" + fromMs + ") AND " + arg
                    + " <= fromUnixTimestamp64Milli(" + toMs + ")";
            case "timeInterval" -> "toStartOfInterval(toDateTime(" + need(name, arg) + "), INTERVAL " + intervalS + " second)";
            case "timeInterval_ms" -> "toStartOfInterval(toDateTime64(" + need(name, arg) + ", 3), INTERVAL " + intervalMs
                    + " millisecond)";
            case "interval_s" -> String.valueOf(intervalS);
            case "fromTime" -> "toDateTime(" + from + ")";
            case "toTime" -> "toDateTime(" + to + ")";
            case "fromTime_ms" -> "fromUnixTimestamp64Milli(" + fromMs + ")";
            case "toTime_ms" -> "fromUnixTimestamp64Milli(" + toMs + ")";
            default -> throw new IllegalArgumentException("macro $__" + name + " is not one these tests expand");
        };
        return value;
    }

    private static String need(String macro, String arg) {
        if (arg == null || arg.isEmpty() || arg.contains(",")) {
            throw new IllegalArgumentException("$__" + macro + " takes one column, got (" + arg + ")");
        }
        return arg;
    }
}
