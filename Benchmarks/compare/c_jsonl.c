/* c_jsonl.c — JSON Lines in memory through funnel_score_jsonl_opts: what a C
 * host that holds the text pays for every SPEC §7 result (issue 10, goal 1,
 * "funnel_score_jsonl likewise").
 *
 *   c_jsonl DATA_DIR MODEL_JSON OUT_DIR [ROUNDS]
 *
 * Reads DATA_DIR/leads.jsonl and the model into memory (not timed), then times
 * funnel_score_jsonl_opts over the whole text with threads 1 and 2 (parse,
 * score and write every result; the returned string freed), best of ROUNDS
 * (default 3), at DATA_DIR/meta.json's as_of. One JSON line per thread count on
 * stdout, with wall ("seconds") and CPU time ("cpu_seconds", user + system of
 * the process, best of ROUNDS as well). The 1-thread result goes to
 * OUT_DIR/c-jsonl.jsonl (the bytes `funnel score` writes for the same file and
 * instant); exit status 1 when the 2-thread result differs from it.
 */
#include "common.h"

#include <funnel.h>

static void check(funnel_status s, const char *what) {
    if (s != FUNNEL_OK) {
        fprintf(stderr, "%s: status %d: %s\n", what, (int)s, funnel_last_error());
        exit(2);
    }
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: c_jsonl DATA_DIR MODEL_JSON OUT_DIR [ROUNDS]\n");
        return 2;
    }
    const char *dir = argv[1], *out = argv[3];
    int rounds = argc > 4 ? atoi(argv[4]) : 3;
    if (rounds < 1) rounds = 1;

    size_t meta_len, model_len, text_len;
    char *meta = read_file(dir, "meta.json", &meta_len);
    size_t n = (size_t)json_int(meta, "N");
    double as_of = (double)json_int(meta, "as_of");
    char *model_text = read_file(".", argv[2], &model_len);
    char *text = read_file(dir, "leads.jsonl", &text_len);
    funnel_model *model = NULL;
    check(funnel_model_load(model_text, model_len, &model), "funnel_model_load");

    unsigned thread_counts[] = {1, 2};
    char *first = NULL;
    size_t first_len = 0;
    int same = 1;
    for (size_t t = 0; t < 2; t++) {
        funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
        options.threads = thread_counts[t];
        double best = 1e300, best_cpu = 1e300;
        for (int r = 0; r < rounds; r++) {
            char *result = NULL;
            double start = now_seconds(), start_cpu = cpu_seconds();
            check(funnel_score_jsonl_opts(model, text, text_len, as_of, &options, &result), "funnel_score_jsonl_opts");
            double called = now_seconds(), called_cpu = cpu_seconds();
            /* Not timed: the check of the result. */
            size_t len = strlen(result);
            if (t == 0 && r == 0) {
                first = malloc(len + 1);
                if (!first) die("result", "out of memory");
                memcpy(first, result, len + 1);
                first_len = len;
            } else if (len != first_len || memcmp(result, first, len) != 0) {
                same = 0;
            }
            /* Timed again: a host frees every result. */
            double freeing = now_seconds(), freeing_cpu = cpu_seconds();
            funnel_string_free(result);
            double took = (called - start) + (now_seconds() - freeing);
            double took_cpu = (called_cpu - start_cpu) + (cpu_seconds() - freeing_cpu);
            if (took < best) best = took;
            if (took_cpu < best_cpu) best_cpu = took_cpu;
        }
        printf("{\"impl\": \"c-jsonl\", \"threads\": %u, \"seconds\": %.9f, \"cpu_seconds\": %.9f, \"leads\": %zu, "
               "\"bytes_in\": %zu, \"bytes_out\": %zu}\n",
               thread_counts[t], best, best_cpu, n, text_len, first_len);
        fflush(stdout);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/c-jsonl.jsonl", out);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(first, 1, first_len, f) != first_len || fclose(f) != 0) die(path, NULL);
    if (!same) fprintf(stderr, "c_jsonl: the results differ between rounds or thread counts\n");
    free(first);
    free(text);
    free(model_text);
    free(meta);
    funnel_model_free(model);
    return same ? 0 : 1;
}
