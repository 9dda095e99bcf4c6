package io.tokenscope.sim.wire;

/**
 * A request's stream_options as sent; {@link Dialect#usageAsked} reads them as that server
 * does. includeUsage is null when the field is absent, because vLLM then defaults it to true.
 */
public record StreamOptions(boolean given, Boolean includeUsage, boolean continuousUsageStats) {
    public static final StreamOptions NONE = new StreamOptions(false, null, false);
}
