/* c_onelead.c — one lead through funnel_score_json, the call a host makes per
 * lead (issue 10, goal 2).
 *
 *   c_onelead LEADS_JSONL MODEL_JSON [ITERATIONS] [ROUNDS] [LEAD_OUT]
 *
 * Takes the first lead of LEADS_JSONL with 20 events (or the one with the most
 * events under 20), then times ITERATIONS calls (default 200000), best of ROUNDS
 * (default 3), CPU time of this process. Prints one JSON line:
 * {"impl": "c-onelead", "events": E, "bytes": B, "ns_per_call": X}, and writes
 * the lead to LEAD_OUT, for the parse-only comparison.
 *
 * Run with malloc_count.so preloaded (see that file), it also counts the
 * malloc-family calls of 1000 more calls and adds "allocs_per_call" (the
 * returned string is one of them).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <funnel.h>

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) { fprintf(stderr, "%s: short read\n", path); exit(2); }
    buf[len] = 0;
    fclose(f);
    *size = (size_t)len;
    return buf;
}

/* How many `"type":` keys the line holds: its events, in the generated data. */
static size_t count_events(const char *line, size_t len) {
    size_t n = 0;
    for (size_t k = 0; k + 7 <= len; k++)
        if (memcmp(line + k, "\"type\":", 7) == 0) n++;
    return n;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: c_onelead LEADS_JSONL MODEL_JSON [ITERATIONS] [ROUNDS]\n"); return 2; }
    long iterations = argc > 3 ? atol(argv[3]) : 200000;
    int rounds = argc > 4 ? atoi(argv[4]) : 3;
    size_t size, model_size;
    char *leads = slurp(argv[1], &size);
    char *model_json = slurp(argv[2], &model_size);
    funnel_model *model = NULL;
    if (funnel_model_load(model_json, model_size, &model) != FUNNEL_OK) {
        fprintf(stderr, "model: %s\n", funnel_last_error());
        return 2;
    }
    const char *best = NULL;
    size_t best_len = 0, best_events = 0;
    for (char *line = leads; line < leads + size;) {
        char *end = memchr(line, '\n', (size_t)(leads + size - line));
        if (!end) end = leads + size;
        size_t events = count_events(line, (size_t)(end - line));
        if (events <= 20 && events > best_events) {
            best = line;
            best_len = (size_t)(end - line);
            best_events = events;
        }
        if (best_events == 20) break;
        line = end + 1;
    }
    if (!best) { fprintf(stderr, "no lead\n"); return 2; }
    double as_of = 1796083200.0;
    double best_ns = 1e30;
    for (int r = 0; r < rounds; r++) {
        double t0 = cpu_seconds();
        for (long i = 0; i < iterations; i++) {
            char *out = NULL;
            if (funnel_score_json(model, best, best_len, as_of, &out) != FUNNEL_OK) {
                fprintf(stderr, "score: %s\n", funnel_last_error());
                return 2;
            }
            funnel_string_free(out);
        }
        double ns = (cpu_seconds() - t0) * 1e9 / (double)iterations;
        if (ns < best_ns) best_ns = ns;
    }
    /* Allocations per call, when malloc_count.so is preloaded. */
    long *calls = (long *)dlsym(RTLD_DEFAULT, "malloc_count_calls");
    int *counting = (int *)dlsym(RTLD_DEFAULT, "malloc_count_enabled");
    double allocs = -1;
    if (calls && counting) {
        long before = *calls;
        *counting = 1;
        for (int i = 0; i < 1000; i++) {
            char *out = NULL;
            if (funnel_score_json(model, best, best_len, as_of, &out) != FUNNEL_OK) return 2;
            funnel_string_free(out);
        }
        *counting = 0;
        allocs = (double)(*calls - before) / 1000.0;
    }
    printf("{\"impl\": \"c-onelead\", \"events\": %zu, \"bytes\": %zu, \"ns_per_call\": %.1f", best_events, best_len,
           best_ns);
    if (allocs >= 0) printf(", \"allocs_per_call\": %.2f", allocs);
    printf("}\n");
    /* The same lead, for the parse-only comparison. */
    FILE *f = fopen(argc > 5 ? argv[5] : "/dev/null", "wb");
    if (f) {
        fwrite(best, 1, best_len, f);
        fclose(f);
    }
    funnel_model_free(model);
    return 0;
}
