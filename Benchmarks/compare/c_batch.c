/* c_batch.c — Funnel's C ABI batch (funnel_batch_*) on the benchmark columns.
 *
 *   c_batch DATA_DIR MODEL_JSON OUT_DIR [ROUNDS]
 *
 * Loads the model and the columns written by Benchmarks/data/generate.py into
 * memory, then times the process's first one shot (c-oneshot-first, 1 thread,
 * once: before anything else, so every column is fresh memory), then, best of
 * ROUNDS (default 3), with 1 and 2 threads:
 *   - c-oneshot: what a host that scores once pays: funnel_batch_new, every
 *     funnel_batch_set_* call and funnel_batch_score_threads, then free;
 *   - c-batch: re-scoring the filled batch (funnel_batch_score_threads alone).
 * One JSON line per row on stdout, with wall ("seconds") and CPU time
 * ("cpu_seconds", user + system of the process, best of ROUNDS as well); on
 * standard error the 1-thread one-shot broken into its parts (CPU time per
 * call, best of ROUNDS, and ns per lead or per event), to see where it goes.
 * The scores of the 1-thread re-scoring go to
 * OUT_DIR/c-batch.{fit,behavior,total}.f64; every other run's scores are
 * compared with them here (they must be identical).
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

/* The columns of the benchmark data, as a host would hold them. */
typedef struct {
    size_t n, ne, ntypes;
    double *numbers[COUNT(NUMBERS)];
    int8_t *bools[COUNT(BOOLS)];
    int32_t *string_ids[COUNT(STRINGS)];
    char **string_dicts[COUNT(STRINGS)];
    size_t string_dict_counts[COUNT(STRINGS)];
    int64_t *set_offsets[COUNT(SETS)];
    int32_t *set_members[COUNT(SETS)];
    uint8_t *set_present[COUNT(SETS)];
    char **set_dicts[COUNT(SETS)];
    size_t set_offset_counts[COUNT(SETS)], set_member_counts[COUNT(SETS)], set_present_counts[COUNT(SETS)],
        set_dict_counts[COUNT(SETS)];
    uint32_t *ev_lead;
    int32_t *ev_type;
    double *ev_at, *ev_min;
    char **types;
} columns;

static void load(const char *dir, size_t n, columns *c) {
    char name[512];
    size_t count;
    c->n = n;
    for (size_t a = 0; a < COUNT(NUMBERS); a++) {
        snprintf(name, sizeof name, "%s.f64", NUMBERS[a]);
        c->numbers[a] = read_array(dir, name, 8, &count);
        if (count != n) die(NUMBERS[a], "wrong length");
    }
    for (size_t a = 0; a < COUNT(BOOLS); a++) {
        snprintf(name, sizeof name, "%s.i8", BOOLS[a]);
        c->bools[a] = read_array(dir, name, 1, &count);
        if (count != n) die(BOOLS[a], "wrong length");
    }
    for (size_t a = 0; a < COUNT(STRINGS); a++) {
        snprintf(name, sizeof name, "%s.i32", STRINGS[a]);
        c->string_ids[a] = read_array(dir, name, 4, &count);
        if (count != n) die(STRINGS[a], "wrong length");
        snprintf(name, sizeof name, "%s.dict.json", STRINGS[a]);
        c->string_dicts[a] = read_string_list(dir, name, &c->string_dict_counts[a]);
    }
    for (size_t a = 0; a < COUNT(SETS); a++) {
        snprintf(name, sizeof name, "%s.offsets.i64", SETS[a]);
        c->set_offsets[a] = read_array(dir, name, 8, &c->set_offset_counts[a]);
        snprintf(name, sizeof name, "%s.members.i32", SETS[a]);
        c->set_members[a] = read_array(dir, name, 4, &c->set_member_counts[a]);
        snprintf(name, sizeof name, "%s.present.u8", SETS[a]);
        c->set_present[a] = read_array(dir, name, 1, &c->set_present_counts[a]);
        snprintf(name, sizeof name, "%s.dict.json", SETS[a]);
        c->set_dicts[a] = read_string_list(dir, name, &c->set_dict_counts[a]);
    }
    size_t c2, c3, c4;
    c->ev_lead = read_array(dir, "event_lead.u32", 4, &c->ne);
    c->ev_type = read_array(dir, "event_type.i32", 4, &c2);
    c->ev_at = read_array(dir, "event_at.f64", 8, &c3);
    c->ev_min = read_array(dir, "event_minutes.f64", 8, &c4);
    c->types = read_string_list(dir, "event_types.json", &c->ntypes);
    if (c2 != c->ne || c3 != c->ne || c4 != c->ne) die("events", "arrays differ in length");
}

/* The parts of a one-shot, in order: the batch, each setter, the score, the free. */
enum { P_NEW, P_NUMBERS, P_BOOLS, P_STRINGS, P_SETS, P_EVENTS, P_SCORE, P_FREE, P_COUNT };
static const char *const PART_NAMES[P_COUNT] = {"funnel_batch_new", "set_numbers (all)", "set_bools (all)",
                                               "set_strings (all)", "set_string_sets (all)", "set_events",
                                               "score (1 thread)", "funnel_batch_free"};

/* CPU time since *mark into parts[part] (when parts is given); moves the mark. */
static void lap(double *parts, int part, double *mark) {
    if (!parts) return;
    double t = cpu_seconds();
    parts[part] += t - *mark;
    *mark = t;
}

/* A new batch holding the attribute columns (and, with `events`, the event
 * columns): what a host does before scoring. With `parts`, each part's CPU
 * time is added to it. */
static funnel_batch *fill_columns(const funnel_model *model, const columns *c, int events, double *parts) {
    double mark = parts ? cpu_seconds() : 0;
    funnel_batch *batch = NULL;
    check(funnel_batch_new(model, c->n, &batch), "funnel_batch_new");
    lap(parts, P_NEW, &mark);
    for (size_t a = 0; a < COUNT(NUMBERS); a++)
        check(funnel_batch_set_numbers(batch, NUMBERS[a], c->numbers[a], c->n), NUMBERS[a]);
    lap(parts, P_NUMBERS, &mark);
    for (size_t a = 0; a < COUNT(BOOLS); a++)
        check(funnel_batch_set_bools(batch, BOOLS[a], c->bools[a], c->n), BOOLS[a]);
    lap(parts, P_BOOLS, &mark);
    for (size_t a = 0; a < COUNT(STRINGS); a++)
        check(funnel_batch_set_strings(batch, STRINGS[a], (const char *const *)c->string_dicts[a],
                                       c->string_dict_counts[a], c->string_ids[a], c->n),
              STRINGS[a]);
    lap(parts, P_STRINGS, &mark);
    for (size_t a = 0; a < COUNT(SETS); a++)
        check(funnel_batch_set_string_sets(batch, SETS[a], (const char *const *)c->set_dicts[a], c->set_dict_counts[a],
                                           c->set_offsets[a], c->set_members[a], c->set_member_counts[a],
                                           c->set_present[a], c->set_present_counts[a]),
              SETS[a]);
    lap(parts, P_SETS, &mark);
    if (!events) return batch;
    check(funnel_batch_set_events(batch, (const char *const *)c->types, c->ntypes, c->ev_lead, c->ev_type, c->ev_at,
                                  c->ne, "minutes", c->ev_min),
          "funnel_batch_set_events");
    lap(parts, P_EVENTS, &mark);
    return batch;
}

/* A new batch holding every column. */
static funnel_batch *fill(const funnel_model *model, const columns *c, double *parts) {
    return fill_columns(model, c, 1, parts);
}

/* What a host that scores once does: a new batch filled from the columns,
 * scored once at `as_of` with `threads` into the given arrays, freed. */
static void one_shot(const funnel_model *model, const columns *c, double as_of, unsigned threads, double *fit,
                     double *behavior, double *total, int32_t *grade) {
    funnel_batch *once = fill(model, c, NULL);
    check(funnel_batch_score_threads(once, as_of, fit, behavior, total, grade, c->n, threads),
          "funnel_batch_score_threads");
    funnel_batch_free(once);
}

/* The same one shot through funnel_batch_score_events: the attributes filled,
 * the events scored from the host's columns without being kept, freed. */
static void one_shot_events(const funnel_model *model, const columns *c, double as_of, unsigned threads, double *fit,
                            double *behavior, double *total, int32_t *grade) {
    funnel_batch *once = fill_columns(model, c, 0, NULL);
    check(funnel_batch_score_events(once, (const char *const *)c->types, c->ntypes, c->ev_lead, c->ev_type, c->ev_at,
                                    c->ne, "minutes", c->ev_min, as_of, fit, behavior, total, grade, NULL, c->n,
                                    threads),
          "funnel_batch_score_events");
    funnel_batch_free(once);
}

static size_t differing(const double *a, const double *b, size_t n) {
    size_t d = 0;
    for (size_t i = 0; i < n; i++) d += a[i] != b[i];
    return d;
}

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
    columns cols;
    load(dir, n, &cols);
    size_t ne = cols.ne;
    fprintf(stderr, "c_batch: read %zu leads, %zu events in %.2f s\n", n, ne, now_seconds() - t0);

    double *fit = malloc(n * sizeof *fit), *behavior = malloc(n * sizeof *fit), *total = malloc(n * sizeof *fit);
    double *fit2 = malloc(n * sizeof *fit), *behavior2 = malloc(n * sizeof *fit), *total2 = malloc(n * sizeof *fit);
    int32_t *grade = malloc(n * sizeof *grade);
    if (!fit || !behavior || !total || !fit2 || !behavior2 || !total2 || !grade) die("scores", "out of memory");
    unsigned thread_counts[] = {1, 2};

    /* The first one shot of the process, before anything else the library does:
     * what a job that scores once pays (fresh pages for every column). Its scores
     * are checked against the re-scoring's below. */
    double first_start = now_seconds(), first_cpu = cpu_seconds();
    one_shot(model, &cols, as_of, 1, fit2, behavior2, total2, grade);
    printf("{\"impl\": \"c-oneshot-first\", \"threads\": 1, \"seconds\": %.9f, \"cpu_seconds\": %.9f, \"leads\": %zu, "
           "\"events\": %zu}\n",
           now_seconds() - first_start, cpu_seconds() - first_cpu, n, ne);
    fflush(stdout);

    /* Re-scoring: one batch filled once, scored ROUNDS times. */
    funnel_batch *batch = fill(model, &cols, NULL);
    for (size_t t = 0; t < 2; t++) {
        double best = 1e300, best_cpu = 1e300;
        double *f = t ? fit2 : fit, *b = t ? behavior2 : behavior, *s = t ? total2 : total;
        for (int r = 0; r < rounds; r++) {
            double start = now_seconds(), start_cpu = cpu_seconds();
            check(funnel_batch_score_threads(batch, as_of, f, b, s, grade, n, thread_counts[t]),
                  "funnel_batch_score_threads");
            double took = now_seconds() - start, took_cpu = cpu_seconds() - start_cpu;
            if (took < best) best = took;
            if (took_cpu < best_cpu) best_cpu = took_cpu;
        }
        printf("{\"impl\": \"c-batch\", \"threads\": %u, \"seconds\": %.9f, \"cpu_seconds\": %.9f, \"leads\": %zu, "
               "\"events\": %zu}\n",
               thread_counts[t], best, best_cpu, n, ne);
        fflush(stdout);
        if (t == 0) { /* fit2.. still hold the first one shot's scores */
            size_t cold_differ = differing(fit, fit2, n) + differing(behavior, behavior2, n) + differing(total, total2, n);
            if (cold_differ) {
                fprintf(stderr, "c_batch: the first one shot's scores differ from re-scoring on %zu values\n", cold_differ);
                return 1;
            }
        }
    }
    funnel_batch_free(batch);
    size_t differ = differing(fit, fit2, n) + differing(behavior, behavior2, n) + differing(total, total2, n);
    if (differ) {
        fprintf(stderr, "c_batch: 1 and 2 threads disagree on %zu values\n", differ);
        return 1;
    }

    /* One shot: a new batch, filled from the columns and scored once, each
     * round; then the same through funnel_batch_score_events. */
    for (size_t t = 0; t < 4; t++) {
        double best = 1e300, best_cpu = 1e300;
        for (int r = 0; r < rounds; r++) {
            double start = now_seconds(), start_cpu = cpu_seconds();
            (t < 2 ? one_shot : one_shot_events)(model, &cols, as_of, thread_counts[t % 2], fit2, behavior2, total2,
                                                 grade);
            double took = now_seconds() - start, took_cpu = cpu_seconds() - start_cpu;
            if (took < best) best = took;
            if (took_cpu < best_cpu) best_cpu = took_cpu;
            differ = differing(fit, fit2, n) + differing(behavior, behavior2, n) + differing(total, total2, n);
            if (differ) {
                fprintf(stderr, "c_batch: one-shot scores differ from re-scoring on %zu values\n", differ);
                return 1;
            }
        }
        printf("{\"impl\": \"%s\", \"threads\": %u, \"seconds\": %.9f, \"cpu_seconds\": %.9f, \"leads\": %zu, "
               "\"events\": %zu}\n",
               t < 2 ? "c-oneshot" : "c-oneshot-events", thread_counts[t % 2], best, best_cpu, n, ne);
        fflush(stdout);
    }

    /* The 1-thread one shot in parts (CPU time, best of ROUNDS per part). */
    double best_parts[P_COUNT];
    for (int p = 0; p < P_COUNT; p++) best_parts[p] = 1e300;
    for (int r = 0; r < rounds; r++) {
        double parts[P_COUNT] = {0};
        funnel_batch *once = fill(model, &cols, parts);
        double mark = cpu_seconds();
        check(funnel_batch_score_threads(once, as_of, fit2, behavior2, total2, grade, n, 1), "funnel_batch_score_threads");
        lap(parts, P_SCORE, &mark);
        funnel_batch_free(once);
        lap(parts, P_FREE, &mark);
        for (int p = 0; p < P_COUNT; p++)
            if (parts[p] < best_parts[p]) best_parts[p] = parts[p];
    }
    double sum = 0;
    fprintf(stderr, "c_batch: one shot in parts (CPU, best of %d):\n", rounds);
    for (int p = 0; p < P_COUNT; p++) {
        sum += best_parts[p];
        fprintf(stderr, "  %-22s %9.3f ms  %7.2f ns/lead  %6.2f ns/event\n", PART_NAMES[p], best_parts[p] * 1e3,
                best_parts[p] * 1e9 / (double)(n ? n : 1), best_parts[p] * 1e9 / (double)(ne ? ne : 1));
    }
    fprintf(stderr, "  %-22s %9.3f ms  %7.2f ns/lead  %6.2f ns/event\n", "sum of parts", sum * 1e3,
            sum * 1e9 / (double)(n ? n : 1), sum * 1e9 / (double)(ne ? ne : 1));
    write_doubles(out, "c-batch.fit.f64", fit, n);
    write_doubles(out, "c-batch.behavior.f64", behavior, n);
    write_doubles(out, "c-batch.total.f64", total, n);
    funnel_model_free(model);
    return 0;
}
