/* c_batch.c — Funnel's C ABI batch (funnel_batch_*) on the benchmark columns.
 *
 *   c_batch DATA_DIR MODEL_JSON OUT_DIR [ROUNDS]
 *
 * Loads the model and the columns written by Benchmarks/data/generate.py, fills
 * one funnel_batch (not timed beyond a line on stderr), then times
 * funnel_batch_score_threads with 1 and 2 threads, best of ROUNDS (default 3),
 * and prints one JSON line per thread count on stdout. The scores of the
 * 1-thread run go to OUT_DIR/c-batch.{fit,behavior,total}.f64; the 2-thread
 * scores are compared with them here (they must be identical).
 */
#include "common.h"

#include <funnel.h>

static void check(funnel_status s, const char *what) {
    if (s != FUNNEL_OK) {
        fprintf(stderr, "%s: status %d: %s\n", what, (int)s, funnel_last_error());
        exit(2);
    }
}

static const char *const NUMBERS[] = {"employees", "budget", "timeline_days"};
static const char *const BOOLS[] = {"decision_maker"};
static const char *const STRINGS[] = {"industry", "role", "country", "source", "need"};
static const char *const SETS[] = {"tags"};
#define COUNT(a) (sizeof(a) / sizeof *(a))

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: c_batch DATA_DIR MODEL_JSON OUT_DIR [ROUNDS]\n");
        return 2;
    }
    const char *dir = argv[1], *out = argv[3];
    int rounds = argc > 4 ? atoi(argv[4]) : 3;
    if (rounds < 1) rounds = 1;

    size_t meta_len, model_len;
    char *meta = read_file(dir, "meta.json", &meta_len);
    size_t n = (size_t)json_int(meta, "N");
    double as_of = (double)json_int(meta, "as_of");
    char *model_text = read_file(".", argv[2], &model_len);

    double t0 = now_seconds();
    funnel_model *model = NULL;
    check(funnel_model_load(model_text, model_len, &model), "funnel_model_load");
    funnel_batch *batch = NULL;
    check(funnel_batch_new(model, n, &batch), "funnel_batch_new");
    char name[512];
    for (size_t a = 0; a < COUNT(NUMBERS); a++) {
        size_t count;
        snprintf(name, sizeof name, "%s.f64", NUMBERS[a]);
        double *v = read_array(dir, name, 8, &count);
        check(funnel_batch_set_numbers(batch, NUMBERS[a], v, count), NUMBERS[a]);
        free(v);
    }
    for (size_t a = 0; a < COUNT(BOOLS); a++) {
        size_t count;
        snprintf(name, sizeof name, "%s.i8", BOOLS[a]);
        int8_t *v = read_array(dir, name, 1, &count);
        check(funnel_batch_set_bools(batch, BOOLS[a], v, count), BOOLS[a]);
        free(v);
    }
    for (size_t a = 0; a < COUNT(STRINGS); a++) {
        size_t count, dcount;
        snprintf(name, sizeof name, "%s.i32", STRINGS[a]);
        int32_t *ids = read_array(dir, name, 4, &count);
        snprintf(name, sizeof name, "%s.dict.json", STRINGS[a]);
        char **dict = read_string_list(dir, name, &dcount);
        check(funnel_batch_set_strings(batch, STRINGS[a], (const char *const *)dict, dcount, ids, count),
              STRINGS[a]);
        free(ids);
    }
    for (size_t a = 0; a < COUNT(SETS); a++) {
        size_t offsets_count, members_count, present_count, dcount;
        snprintf(name, sizeof name, "%s.offsets.i64", SETS[a]);
        int64_t *offsets = read_array(dir, name, 8, &offsets_count);
        snprintf(name, sizeof name, "%s.members.i32", SETS[a]);
        int32_t *members = read_array(dir, name, 4, &members_count);
        snprintf(name, sizeof name, "%s.present.u8", SETS[a]);
        uint8_t *present = read_array(dir, name, 1, &present_count);
        snprintf(name, sizeof name, "%s.dict.json", SETS[a]);
        char **dict = read_string_list(dir, name, &dcount);
        check(funnel_batch_set_string_sets(batch, SETS[a], (const char *const *)dict, dcount, offsets, members,
                                           members_count, present, present_count),
              SETS[a]);
        free(offsets);
        free(members);
        free(present);
    }
    size_t ne, c2, c3, c4, ntypes;
    uint32_t *ev_lead = read_array(dir, "event_lead.u32", 4, &ne);
    int32_t *ev_type = read_array(dir, "event_type.i32", 4, &c2);
    double *ev_at = read_array(dir, "event_at.f64", 8, &c3);
    double *ev_min = read_array(dir, "event_minutes.f64", 8, &c4);
    char **types = read_string_list(dir, "event_types.json", &ntypes);
    if (c2 != ne || c3 != ne || c4 != ne) die("events", "arrays differ in length");
    check(funnel_batch_set_events(batch, (const char *const *)types, ntypes, ev_lead, ev_type, ev_at, ne, "minutes",
                                  ev_min),
          "funnel_batch_set_events");
    free(ev_lead);
    free(ev_type);
    free(ev_at);
    free(ev_min);
    fprintf(stderr, "c_batch: loaded %zu leads, %zu events in %.2f s\n", n, ne, now_seconds() - t0);

    double *fit = malloc(n * sizeof *fit), *behavior = malloc(n * sizeof *fit), *total = malloc(n * sizeof *fit);
    double *fit2 = malloc(n * sizeof *fit), *behavior2 = malloc(n * sizeof *fit), *total2 = malloc(n * sizeof *fit);
    int32_t *grade = malloc(n * sizeof *grade);
    if (!fit || !behavior || !total || !fit2 || !behavior2 || !total2 || !grade) die("scores", "out of memory");
    unsigned thread_counts[] = {1, 2};
    for (size_t t = 0; t < 2; t++) {
        double best = 1e300;
        double *f = t ? fit2 : fit, *b = t ? behavior2 : behavior, *s = t ? total2 : total;
        for (int r = 0; r < rounds; r++) {
            double start = now_seconds();
            check(funnel_batch_score_threads(batch, as_of, f, b, s, grade, n, thread_counts[t]),
                  "funnel_batch_score_threads");
            double took = now_seconds() - start;
            if (took < best) best = took;
        }
        printf("{\"impl\": \"c-batch\", \"threads\": %u, \"seconds\": %.9f, \"leads\": %zu, \"events\": %zu}\n",
               thread_counts[t], best, n, ne);
        fflush(stdout);
    }
    size_t differ = 0;
    for (size_t i = 0; i < n; i++)
        if (fit[i] != fit2[i] || behavior[i] != behavior2[i] || total[i] != total2[i]) differ++;
    if (differ) {
        fprintf(stderr, "c_batch: 1 and 2 threads disagree on %zu leads\n", differ);
        return 1;
    }
    write_doubles(out, "c-batch.fit.f64", fit, n);
    write_doubles(out, "c-batch.behavior.f64", behavior, n);
    write_doubles(out, "c-batch.total.f64", total, n);
    funnel_batch_free(batch);
    funnel_model_free(model);
    return 0;
}
