package io.tokenscope.aggregator.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/** Connections to ClickHouse over JDBC, and the idempotent DDL from sql/ddl applied at start-up. */
public final class ClickHouse {
    /** Applied in this order; each file is idempotent. */
    static final List<String> DDL = List.of("sql/ddl/001_core_tables.sql", "sql/ddl/002_window_sketches.sql",
            "sql/ddl/003_insert_deduplication.sql", "sql/ddl/004_retention.sql", "sql/ddl/005_server_metrics.sql",
            "sql/ddl/006_run_totals.sql", "sql/ddl/007_window_server_cache.sql", "sql/ddl/008_wider_token_counts.sql",
            "sql/ddl/009_run_totals_one_partition.sql", "sql/ddl/010_request_schedule_lag.sql");

    /**
     * A file that rebuilds a table into a layout no ALTER reaches. It runs only while
     * {@code needed} answers a row, and leaves it answering none. Its first statement creates
     * {@code copy} without IF NOT EXISTS, so when several aggregators start at once only one
     * rebuilds, and the others wait for it. Statements from {@code afterSwap} on follow the swap
     * and end with the old table renamed to {@code kept}.
     */
    record Rebuild(String needed, String copy, String kept, int afterSwap) {}

    static final java.util.Map<String, Rebuild> REBUILDS = java.util.Map.of(
            "sql/ddl/009_run_totals_one_partition.sql", new Rebuild(
                    "SELECT 1 FROM system.tables WHERE database = '{db}' AND name = 'run_totals'"
                            + " AND position(partition_key, 'window_start') > 0",
                    "{db}.run_totals_one_partition", "{db}.run_totals_by_month", 3));

    /** How long an aggregator waits for another one's rebuild before it says what to do. */
    static final long REBUILD_WAIT_MS = 120_000;

    private final String url;
    private final String database;
    private final Properties properties = new Properties();

    public ClickHouse(String httpUrl, String database, String user, String password) {
        this.url = "jdbc:clickhouse:" + httpUrl.replaceAll("/+$", "");
        this.database = database;
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("socket_timeout", "60000");
        properties.setProperty("connection_timeout", "5000");
    }

    public String database() {
        return database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    /** Fails with a message naming the flag when the server cannot be reached or rejects us. */
    public void ping() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach ClickHouse at " + url.substring("jdbc:clickhouse:".length())
                    + " (--clickhouse-url, --clickhouse-user, --clickhouse-password): " + rootMessage(e), e);
        }
    }

    /** Creates what is missing and sets the retention (days) of raw token rows and of everything else. */
    public void applyDdl(int rawRetentionDays, int retentionDays) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String file : DDL) {
                List<String> statements = statements(resource(file)).stream()
                        .map(sql -> sql.replace("{db}", database)
                                .replace("{raw_retention_days}", String.valueOf(rawRetentionDays))
                                .replace("{retention_days}", String.valueOf(retentionDays)))
                        .toList();
                Rebuild rebuild = REBUILDS.get(file);
                if (rebuild != null) {
                    rebuild(s, new Rebuild(rebuild.needed().replace("{db}", database),
                            rebuild.copy().replace("{db}", database), rebuild.kept().replace("{db}", database),
                            rebuild.afterSwap()), statements);
                    continue;
                }
                for (String sql : statements) {
                    if (!alreadyHasTtl(s, sql)) {
                        s.execute(sql);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("applying sql/ddl to ClickHouse failed: " + rootMessage(e), e);
        }
    }

    private static void rebuild(Statement s, Rebuild r, List<String> statements) throws SQLException {
        if (!answersARow(s, r.needed())) {
            // Done, unless an aggregator stopped between the swap and the rename: the old table is
            // then still the copy, and rows written just before the swap may not have been copied.
            if (exists(s, r.copy()) && !exists(s, r.kept())) {
                for (String sql : statements.subList(r.afterSwap(), statements.size())) {
                    s.execute(sql);
                }
            }
            return;
        }
        if (!createCopyOrWait(s, statements.get(0), r)) {
            return;
        }
        if (!answersARow(s, r.needed())) {
            // Another aggregator swapped and renamed between the check above and this CREATE.
            s.execute("DROP TABLE " + r.copy());
            return;
        }
        for (String sql : statements.subList(1, statements.size())) {
            s.execute(sql);
        }
    }

    /**
     * Creates a rebuild's copy and returns true, or, when the copy exists already, waits for the
     * aggregator that made it to finish and returns false.
     */
    private static boolean createCopyOrWait(Statement s, String createCopy, Rebuild r) throws SQLException {
        try {
            s.execute(createCopy);
            return true;
        } catch (SQLException e) {
            if (!exists(s, r.copy())) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + REBUILD_WAIT_MS * 1_000_000L;
        while (answersARow(s, r.needed())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(r.copy() + " exists and the rebuild it belongs to has not finished in "
                        + REBUILD_WAIT_MS / 1000 + " s: another aggregator is rebuilding, or one stopped part-way. "
                        + "If no other aggregator is starting, DROP TABLE " + r.copy() + " and start again");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the rebuild of " + r.copy());
            }
        }
        return false;
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        return answersARow(s, "SELECT 1 FROM system.tables WHERE database || '.' || name = '" + table + "'");
    }

    private static boolean answersARow(Statement s, String query) throws SQLException {
        try (java.sql.ResultSet r = s.executeQuery(query)) {
            return r.next();
        }
    }

    private static final java.util.regex.Pattern MODIFY_TTL =
            java.util.regex.Pattern.compile("ALTER TABLE (\\w+)\\.(\\w+) MODIFY TTL (.+)", java.util.regex.Pattern.DOTALL);

    /**
     * Whether a MODIFY TTL statement would change nothing: modifying a TTL makes ClickHouse
     * rewrite every part, which a restart with unchanged flags must not cause.
     */
    private static boolean alreadyHasTtl(Statement s, String sql) throws SQLException {
        java.util.regex.Matcher m = MODIFY_TTL.matcher(sql.strip());
        if (!m.matches()) {
            return false;
        }
        String wanted = m.group(3).replaceAll("\\s+", " ").strip();
        try (java.sql.ResultSet r = s.executeQuery("SELECT engine_full FROM system.tables WHERE database = '"
                + m.group(1) + "' AND name = '" + m.group(2) + "'")) {
            return r.next() && r.getString(1).contains(" TTL " + wanted + " SETTINGS");
        }
    }

    private static String resource(String name) {
        try (InputStream in = ClickHouse.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the aggregator's classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    /** Splits a script on ';' at line ends, dropping comment-only lines. */
    static List<String> statements(String script) {
        StringBuilder kept = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        return java.util.Arrays.stream(kept.toString().split(";\\s*\n"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
