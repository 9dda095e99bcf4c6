/*
 * Runs the ClickHouse engine shipped as libchdb.so as an HTTP server.
 *
 * libchdb exposes clickhouse-local through query_stable_v2(argc, argv). A query that starts
 * the HTTP listener and then blocks on a sleeping scan keeps the server up for as long as the
 * process lives; it uses no CPU while idle. Stopping is killing the process; data stays in
 * the --path folder.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct local_result_v2 {
    char *buf;
    size_t len;
    void *vec;
    double elapsed;
    uint64_t rows_read;
    uint64_t bytes_read;
    char *error_message;
};

typedef struct local_result_v2 *(*query_fn)(int, char **);

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s LIBCHDB_SO DATA_DIR HTTP_PORT [CONFIG_XML]\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
        return 3;
    }
    query_fn query = (query_fn)dlsym(lib, "query_stable_v2");
    if (!query) {
        fprintf(stderr, "libchdb has no query_stable_v2: %s\n", dlerror());
        return 3;
    }
    char path[4096], port[64], config[4096];
    snprintf(path, sizeof path, "--path=%s", argv[2]);
    snprintf(port, sizeof port, "--http_port=%s", argv[3]);
    /* A config file may name a users file (users_config), e.g. one with a password-protected user. */
    snprintf(config, sizeof config, "--config-file=%s", argc == 5 ? argv[4] : "");
    /* The sleeping column must stay in the output, or the scan is optimised away. */
    char *args[] = {
        "clickhouse", path, port, "--listen_host=127.0.0.1",
        "--query=SYSTEM START LISTEN HTTP; "
        "SELECT sleepEachRow(1) FROM numbers(1000000000) SETTINGS max_block_size=1 FORMAT Null",
        config, NULL};
    struct local_result_v2 *r = query(argc == 5 ? 6 : 5, args);
    if (r && r->error_message) {
        fprintf(stderr, "clickhouse stopped: %s\n", r->error_message);
        return 1;
    }
    return 0;
}
