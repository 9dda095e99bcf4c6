package io.tokenscope.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SimConfigTest {
    @Test
    void yamlSettingsApplyAndCommandLineFlagsWin() throws Exception {
        Path yaml = Files.createTempFile("sim", ".yaml");
        Files.writeString(yaml, "max_num_seqs: 256\nkv_cache_tokens: 100000\na_pf: 9.0e-10\nfault_rate: [http_503=0.1]\n");
        SimConfig c = SimConfig.parse(new String[] {"--config", yaml.toString(), "--max-num-seqs", "64"});
        assertEquals(64, c.maxNumSeqs());
        assertEquals(100_000, c.kvCacheTokens());
        assertEquals(9.0e-10, c.cost().prefillPairS());
        assertEquals(5.9e-3, c.cost().weightsS(), "unchanged terms keep the profile's value");
        assertTrue(!c.faults().isEmpty());
    }

    @Test
    void everyNamedProfileIsSelectableByFlagAndYaml() throws Exception {
        for (var profile : io.tokenscope.sim.engine.CostModel.PROFILES.entrySet()) {
            assertEquals(profile.getValue(), SimConfig.parse(new String[] {"--profile", profile.getKey()}).cost());
            Path yaml = Files.createTempFile("sim", ".yaml");
            Files.writeString(yaml, "profile: " + profile.getKey() + "\n");
            assertEquals(profile.getValue(), SimConfig.parse(new String[] {"--config", yaml.toString()}).cost());
        }
        SimConfig tuned = SimConfig.parse(new String[] {"--profile", "l40s-8b", "--t-ovh-ms", "2"});
        assertEquals(2e-3, tuned.cost().overheadS(), 1e-15);
        assertEquals(23e-3, tuned.cost().weightsS(), "the other terms stay the profile's");
    }

    @Test
    void shippedProfileFileParses() {
        SimConfig c = SimConfig.parse(new String[] {"--config", "profiles/h100-8b-small-kv.yaml"});
        assertEquals(256, c.maxNumSeqs());
    }

    @Test
    void errorsNameTheFlagOrKey() throws Exception {
        var rt = assertThrows(IllegalArgumentException.class,
                () -> SimConfig.parse(new String[] {"--realtime-priority", "100"}));
        assertTrue(rt.getMessage().contains("--realtime-priority must be 1..99"), rt.getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> SimConfig.parse(new String[] {"--max-num-seqs", "0"}));
        assertTrue(e.getMessage().contains("--max-num-seqs"), e.getMessage());
        Path yaml = Files.createTempFile("sim", ".yaml");
        Files.writeString(yaml, "max_num_sequences: 3\n");
        e = assertThrows(IllegalArgumentException.class, () -> SimConfig.parse(new String[] {"--config", yaml.toString()}));
        assertTrue(e.getMessage().contains("--max-num-sequences"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SimConfig.parse(new String[] {"--profile", "tpu"}));
        assertTrue(e.getMessage().contains("--profile must be one of h100-8b, a100-8b, l40s-8b, h100-70b-tp4"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SimConfig.parse(new String[] {"--wire", "grpc"}));
        assertTrue(e.getMessage().contains("--wire"), e.getMessage());
    }
}
