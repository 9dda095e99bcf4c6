package io.tokenscope.sim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tokenscope.sim.engine.CostModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published seed experiment's shape, reproduced by the engine model. */
class SeedExperimentTest {
    private static final List<SeedExperiment.Result> RESULTS = SeedExperiment.runAll(CostModel.H100_8B);

    private static SeedExperiment.Result find(String scenario, int n, int duplicate) {
        return RESULTS.stream().filter(r -> r.scenario().equals(scenario) && r.n() == n && r.duplicate() == duplicate)
                .findFirst().orElseThrow();
    }

    @Test
    void manyShortPromptsBeatOneLongPromptAtEveryN() {
        for (int n : new int[] {4, 40, 400}) {
            for (int d : new int[] {1, 10}) {
                double longTps = find("one-long", n, d).totalTokensPerS();
                double shortTps = find("many-short", n, d).totalTokensPerS();
                assertTrue(shortTps > longTps, "n=" + n + " x" + d + ": many-short " + shortTps + " vs one-long " + longTps);
            }
        }
    }

    @Test
    void duplicatingEveryRequestTenTimesLiftsBothThroughPrefixCaching() {
        for (int n : new int[] {40, 400}) {
            for (String scenario : new String[] {"one-long", "many-short"}) {
                SeedExperiment.Result once = find(scenario, n, 1);
                SeedExperiment.Result tenfold = find(scenario, n, 10);
                assertTrue(tenfold.totalTokensPerS() > 2 * once.totalTokensPerS(), scenario + " n=" + n);
                assertTrue(tenfold.cachedTokens() > tenfold.promptTokens() / 2, scenario + " n=" + n + " hits");
            }
        }
    }

    @Test
    void scenariosHaveTheRightShape() {
        SeedExperiment.Result oneLong = find("one-long", 400, 1);
        assertEquals(1, oneLong.requests());
        assertEquals(400, oneLong.outputTokens());
        SeedExperiment.Result manyShort = find("many-short", 400, 10);
        assertEquals(4000, manyShort.requests());
        assertEquals(4000, manyShort.outputTokens());
    }
}
