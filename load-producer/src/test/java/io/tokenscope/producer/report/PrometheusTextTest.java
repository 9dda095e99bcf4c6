package io.tokenscope.producer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tokenscope.producer.scrape.CacheScrape;
import io.tokenscope.producer.scrape.PrometheusText;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void sumsEachMetricOverItsLabelSets() {
        Map<String, Double> sums = PrometheusText.sums("""
                # HELP vllm:prefix_cache_hits_total hits
                # TYPE vllm:prefix_cache_hits_total counter
                vllm:prefix_cache_hits_total{engine="0",model_name="a"} 992.0
                vllm:prefix_cache_hits_total{engine="1",model_name="a b"} 8
                vllm:prefix_cache_hits_total{engine="2"} NaN
                vllm:prefix_cache_hits_total{engine="3"} Infinity
                vllm:prefix_cache_hits_total{engine="4"} +Inf
                vllm:prefix_cache_queries_total{engine="0"} 2000 1700000000000
                plain_metric 3.5
                broken_metric{x="1"} NaN
                """);
        assertEquals(1000.0, sums.get("vllm:prefix_cache_hits_total"));
        assertEquals(2000.0, sums.get("vllm:prefix_cache_queries_total"));
        assertEquals(3.5, sums.get("plain_metric"));
        assertEquals(null, sums.get("broken_metric"));
    }

    @Test
    void hitRateIsTheGrowthOfHitsOverTheGrowthOfQueries() {
        assertEquals(0.75, CacheScrape.hitRate(new CacheScrape.Reading(1000.0, 100.0, 0), new CacheScrape.Reading(2000.0, 850.0, 1)));
        assertEquals(null, CacheScrape.hitRate(null, new CacheScrape.Reading(1.0, 1.0, 0)));
        assertEquals(null, CacheScrape.hitRate(new CacheScrape.Reading(5.0, 1.0, 0), new CacheScrape.Reading(5.0, 1.0, 1)));
    }
}
