package io.tokenscope.sim.wire;

import java.util.Locale;

/**
 * How a server's SSE stream differs from vLLM's on the wire, as switches a client must cope with.
 *
 * @param separateFinishChunk finish_reason arrives in its own chunk with an empty delta
 * @param dataWithoutSpace    {@code data:{...}} instead of {@code data: {...}}
 * @param pingEvery           a {@code : ping} comment before every N-th write; 0 = never
 * @param eventsPerWrite      events held back and written together, up to N per write
 * @param crlf                lines end in CRLF
 * @param doneAfterError      {@code [DONE]} still follows an in-stream error event
 * @param dialect             whose chunk shapes and error bodies
 */
public record WireStyle(boolean separateFinishChunk, boolean dataWithoutSpace, int pingEvery, int eventsPerWrite,
                        boolean crlf, boolean doneAfterError, Dialect dialect) {

    /** vLLM: finish_reason on the last text chunk; [DONE] follows an in-stream error. */
    public static final WireStyle VLLM = new WireStyle(false, false, 0, 1, false, true, Dialect.VLLM);
    /** SGLang: finish_reason in a separate empty-delta chunk; [DONE] follows an error. */
    public static final WireStyle SGLANG = new WireStyle(true, false, 0, 1, false, true, Dialect.SGLANG);
    /** llama.cpp's server: "data: " framing, an empty-delta finish chunk, no [DONE] after an error. */
    public static final WireStyle LLAMA_CPP = new WireStyle(true, false, 0, 1, false, false, Dialect.LLAMA_CPP);
    /**
     * TGI (axum SSE): "data:" without the space and keep-alive comments; finish_reason on the
     * last text chunk; [DONE] follows an error.
     */
    public static final WireStyle TGI = new WireStyle(false, true, 4, 1, false, true, Dialect.TGI);
    /**
     * Every quirk at once, for client robustness tests: CRLF line ends, several events per write,
     * comments, tight framing, a separate finish chunk and no [DONE] after an error.
     */
    public static final WireStyle STRESS = new WireStyle(true, true, 3, 2, true, false, Dialect.VLLM);

    public WireStyle {
        if (pingEvery < 0 || eventsPerWrite < 1) {
            throw new IllegalArgumentException("ping interval must be >= 0 and events per write >= 1");
        }
    }

    public static WireStyle named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "vllm" -> VLLM;
            case "sglang" -> SGLANG;
            case "llamacpp", "llama.cpp" -> LLAMA_CPP;
            case "tgi" -> TGI;
            case "stress" -> STRESS;
            default -> throw new IllegalArgumentException("--wire must be vllm, sglang, llamacpp, tgi or stress, got '" + name + "'");
        };
    }

    /** Rewrites vLLM-framed events ("data: ...\n\n") into this style; vLLM's own framing is returned as it is. */
    public CharSequence frame(CharSequence events) {
        if (!dataWithoutSpace && !crlf) {
            return events;
        }
        String out = events.toString();
        if (dataWithoutSpace) {
            out = out.replace("data: ", "data:");
        }
        if (crlf) {
            out = out.replace("\n", "\r\n");
        }
        return out;
    }

    public String ping() {
        return crlf ? ": ping\r\n\r\n" : ": ping\n\n";
    }
}
