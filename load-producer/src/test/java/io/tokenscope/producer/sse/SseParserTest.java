package io.tokenscope.producer.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private final List<String> events = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final SseParser parser = new SseParser((data, length, ns) -> {
        events.add(new String(data, 0, length, StandardCharsets.UTF_8));
        times.add(ns);
    }, (value, ns) -> errors.add(value));

    private void feed(String s, long ns) {
        parser.feed(s.getBytes(StandardCharsets.UTF_8), ns);
    }

    @Test
    void vllmStreamWithSeveralEventsInOneRead() {
        feed("data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n", 7);
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}", "[DONE]"), events);
        assertEquals(List.of(7L, 7L, 7L), times);
    }

    @Test
    void aLongLineArrivingSlowlyIsContentAndKeepAliveCommentsAreNot() {
        feed("data: {\"text\":\"" + "x".repeat(1_000), 10);
        feed("x".repeat(1_000), 20);
        assertEquals(20, parser.lastContentNs(), "bytes of an unfinished data line are an answer arriving");
        feed("\"}\n\n: ping", 30);
        feed(" still pinging", 40);
        feed("\n", 50);
        assertEquals(30, parser.lastContentNs(), "a comment line, however long, is not");
        assertEquals(1, events.size());
    }

    @Test
    void llamaCppErrorFieldIsReportedNotIgnored() {
        feed("data: {\"a\":1}\n\nerror: {\"code\":500,\"message\":\"slot failed\"}\n\ndata: [DONE]\n\n", 3);
        assertEquals(List.of("{\"code\":500,\"message\":\"slot failed\"}"), errors);
        assertEquals(List.of("{\"a\":1}", "[DONE]"), events);
    }

    @Test
    void crlfLineEndsAndDataWithoutSpace() {
        feed("data:{\"x\":1}\r\n\r\ndata:  two spaces\r\n\r\n", 1);
        assertEquals(List.of("{\"x\":1}", " two spaces"), events);
    }

    @Test
    void crLfSplitAcrossReadsIsOneLineEnd() {
        feed("data: a\r", 1);
        feed("\n\r\n", 2);
        assertEquals(List.of("a"), events);
        assertEquals(List.of(2L), times);
    }

    @Test
    void fieldsMerelyStartingLikeDataAreNotData() {
        parser.feed(io.vertx.core.buffer.Buffer.buffer("datum: no\ndat: no\ndata\n\ndata: yes\n\n"), 3);
        assertEquals(List.of("", "yes"), events, "a bare 'data' line is an empty data line, per the SSE spec");
        assertEquals(List.of(3L, 3L), times);
    }

    @Test
    void aBufferIsReadInPlaceFromItsOwnRangeOfTheArray() {
        // A slice shares its parent's array at an offset, and a read buffer has its reader index
        // past the start: only the readable bytes are the read.
        Buffer whole = Buffer.buffer("data: before\n\ndata: {\"in\":1}\n\ndata: after\n\n");
        parser.feed(whole.slice(14, 30), 4);
        ByteBuf read = Unpooled.wrappedBuffer("xxdata: two\n\n".getBytes(StandardCharsets.UTF_8));
        read.readerIndex(2);
        parser.feed(Buffer.buffer(read), 5);
        ByteBuf direct = Unpooled.directBuffer().writeBytes("data: three\n\n".getBytes(StandardCharsets.UTF_8));
        parser.feed(Buffer.buffer(direct), 6);
        assertEquals(List.of("{\"in\":1}", "two", "three"), events);
        assertEquals(List.of(4L, 5L, 6L), times);
    }

    @Test
    void commentsAndOtherFieldsAreIgnored() {
        feed(": ping - 2024-01-01\n\nevent: message\nid: 3\nretry: 10\ndata: x\n\n", 1);
        assertEquals(List.of("x"), events);
    }

    @Test
    void eventSplitAcrossReadsTakesTheTimeOfTheReadThatCompletesIt() {
        feed("data: {\"chunk\":", 10);
        feed("\"hello\"}\n", 20);
        feed("\n", 30);
        assertEquals(List.of("{\"chunk\":\"hello\"}"), events);
        assertEquals(List.of(30L), times);
    }

    @Test
    void everySplitPointOfAStreamGivesTheSameEvents() {
        String stream = "data: {\"t\":\"é\"}\r\n\r\n: c\n\ndata:b\n\ndata: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            events.clear();
            parser.feed(Arrays.copyOfRange(bytes, 0, cut), 1);
            parser.feed(Arrays.copyOfRange(bytes, cut, bytes.length), 2);
            assertEquals(List.of("{\"t\":\"é\"}", "b", "[DONE]"), events, "cut at " + cut);
        }
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() {
        feed("data: a\ndata: b\n\n", 1);
        assertEquals(List.of("a\nb"), events);
    }

    @Test
    void lastEventWithoutBlankLineIsDeliveredAtEnd() {
        feed("data: {\"a\":1}\n\ndata: tail", 1);
        assertEquals(1, events.size());
        parser.end(5);
        assertEquals(List.of("{\"a\":1}", "tail"), events);
        assertEquals(5L, times.get(1));
    }
}
