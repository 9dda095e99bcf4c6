package io.tokenscope.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} command lines, read once and then asked for typed values. Every error
 * names the flag: an unknown flag (with the usage), a missing value, a value of the wrong type.
 * A repeated flag keeps every value ({@link #all}); single-value getters take the last, so a
 * later flag overrides an earlier one. Flags listed as greedy also take the plain values that
 * follow them ({@code --concurrency 1 5 10}).
 */
public final class Flags {
    private final Map<String, List<String>> values;

    private Flags(Map<String, List<String>> values) {
        this.values = values;
    }

    public static Flags parse(String[] args, String usage, Set<String> known, Set<String> greedy) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException(usage);
            }
            if (!known.contains(flag)) {
                throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage);
            }
            // A flag followed by another flag lacks its value; taking the next flag as the value
            // would report the wrong one ("unknown flag" for what followed).
            if (i + 1 >= args.length || known.contains(args[i + 1])) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            List<String> list = values.computeIfAbsent(flag, f -> new ArrayList<>());
            list.add(args[++i]);
            while (greedy.contains(flag) && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                list.add(args[++i]);
            }
        }
        return new Flags(values);
    }

    public static Flags parse(String[] args, String usage, Set<String> known) {
        return parse(args, usage, known, Set.of());
    }

    public boolean has(String flag) {
        return values.containsKey(flag);
    }

    public List<String> all(String flag) {
        return values.getOrDefault(flag, List.of());
    }

    public String text(String flag, String otherwise) {
        List<String> v = values.get(flag);
        return v == null ? otherwise : v.get(v.size() - 1);
    }

    public int whole(String flag, int otherwise) {
        return has(flag) ? whole(flag, text(flag, null)) : otherwise;
    }

    public double number(String flag, double otherwise) {
        return has(flag) ? number(flag, text(flag, null)) : otherwise;
    }

    /** true or false, spelled so; anything else is an error naming the flag, never a silent false. */
    public boolean bool(String flag, boolean otherwise) {
        if (!has(flag)) {
            return otherwise;
        }
        String v = text(flag, null).strip();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(flag + " must be true or false, got '" + v + "'");
    }

    /** The flag's number, or null when it was not given. */
    public Double numberOrNull(String flag) {
        return has(flag) ? number(flag, text(flag, null)) : null;
    }

    public static int whole(String flag, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got '" + v + "'");
        }
    }

    /** A finite number: NaN and Infinity parse as doubles, but no flag means either. */
    public static double number(String flag, String v) {
        double d;
        try {
            d = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got '" + v + "'");
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(flag + " must be a finite number, got '" + v + "'");
        }
        return d;
    }
}
