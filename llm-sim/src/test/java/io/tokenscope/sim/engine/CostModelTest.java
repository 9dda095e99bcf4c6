package io.tokenscope.sim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {
    private static final CostModel H100 = CostModel.PROFILES.get("h100-8b");
    private static final CostModel A100 = CostModel.PROFILES.get("a100-8b");
    private static final CostModel L40S = CostModel.PROFILES.get("l40s-8b");
    private static final CostModel H100_70B = CostModel.PROFILES.get("h100-70b-tp4");

    /** 64 requests decoding one token each with 1000 tokens of context. */
    private static double decodeStep(CostModel c) {
        return c.stepSeconds(64, 0, 64 * 1000L);
    }

    /** One 8192-token prompt prefilled from scratch. */
    private static double prefillStep(CostModel c) {
        return c.stepSeconds(8192, 8192 * 4096.0, 0);
    }

    @Test
    void everyProfileIsListedUnderItsName() {
        assertEquals(List.of("h100-8b", "a100-8b", "l40s-8b", "h100-70b-tp4"), List.copyOf(CostModel.PROFILES.keySet()));
        assertEquals(CostModel.H100_8B, H100);
    }

    @Test
    void decodeFollowsMemoryBandwidth() {
        assertTrue(decodeStep(H100) < decodeStep(A100), "3.35 vs 2.04 TB/s");
        assertTrue(decodeStep(A100) < decodeStep(L40S), "2.04 vs 0.86 TB/s");
        assertTrue(decodeStep(L40S) > 2.5 * decodeStep(H100));
    }

    @Test
    void prefillFollowsTensorFlops() {
        assertTrue(prefillStep(H100) < prefillStep(L40S), "989 vs 362 TFLOPS");
        assertTrue(prefillStep(L40S) < prefillStep(A100), "362 vs 312 TFLOPS: the L40S prefills faster than the A100");
    }

    @Test
    void seventyBillionOnFourGpusIsSlowerThanEightBillionOnOne() {
        assertTrue(decodeStep(H100_70B) > decodeStep(H100));
        assertTrue(prefillStep(H100_70B) > prefillStep(H100));
        // But faster than 70B's weights read by one GPU would allow: tensor parallelism splits them.
        assertTrue(decodeStep(H100_70B) < 141.1e9 / 3.35e12);
    }
}
