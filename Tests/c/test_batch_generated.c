/*
 * test_batch_generated.c — generated leads: a batch filled from columns scores what the
 * same leads as JSON Lines score, and one batch is scored from several threads.
 */
#include "test_support.h"

#define GEN_N 48
#define GEN_MAX_EVENTS (GEN_N * 3)

typedef struct {
    const char *industries[3];
    int32_t industry[GEN_N];
    double employees[GEN_N];
    int8_t dm[GEN_N];
    int64_t offsets[GEN_N + 1];
    int32_t members[GEN_N * 2];
    uint8_t present[GEN_N];
    uint32_t ev_lead[GEN_MAX_EVENTS];
    int32_t ev_type[GEN_MAX_EVENTS];
    double ev_at[GEN_MAX_EVENTS];
    double ev_minutes[GEN_MAX_EVENTS];
    size_t n_events;
    size_t n_members;
    char jsonl[GEN_N * 700];
    size_t jsonl_len;
    char *lines[GEN_N]; /* into a copy of jsonl, NUL-terminated */
    char lines_buf[GEN_N * 700];
} generated;

static void generate(generated *g) {
    size_t i, k, pos = 0;
    g->industries[0] = "software";
    g->industries[1] = "Retail";
    g->industries[2] = "FINTECH";
    g->n_events = 0;
    g->n_members = 0;
    g->offsets[0] = 0;
    for (i = 0; i < GEN_N; i++) {
        char attrs[300], events[400];
        size_t ap = 0, ep = 0;
        g->industry[i] = (int32_t)(i % 4) - 1;
        g->employees[i] = (i % 5 == 0) ? NAN : (double)(i * 7);
        g->dm[i] = (int8_t)((int)(i % 3) - 1);
        g->present[i] = (i % 6 != 0);
        if (g->present[i]) {
            if (i % 2) g->members[g->n_members++] = 0;
            if (i % 7 == 0) g->members[g->n_members++] = 1;
        }
        g->offsets[i + 1] = (int64_t)g->n_members;

        ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "{");
        if (g->industry[i] >= 0)
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"industry\":\"%s\",", g->industries[g->industry[i]]);
        else
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"industry\":null,");
        if (!isnan(g->employees[i]))
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"employees\":%d,", (int)g->employees[i]);
        if (g->dm[i] >= 0) ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"dm\":%s,", g->dm[i] ? "true" : "false");
        if (g->present[i]) {
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"tags\":[%s%s%s],", (i % 2) ? "\"vip\"" : "",
                                   ((i % 2) && i % 7 == 0) ? "," : "", (i % 7 == 0) ? "\"competitor\"" : "");
        }
        ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"note\":\"x\"}");

        ep += (size_t)snprintf(events + ep, sizeof events - ep, "[");
        for (k = 0; k < i % 4; k++) {
            size_t e = g->n_events++;
            static const char *types[] = {"page.visit", "call.completed", "email.unsubscribe"};
            g->ev_lead[e] = (uint32_t)i;
            g->ev_type[e] = (int32_t)((i + k) % 3);
            g->ev_at[e] = T - (double)(i * (k + 1) * 3600) - 0.5;
            g->ev_minutes[e] = (k == 2) ? NAN : (double)((i * (k + 3)) % 40);
            ep += (size_t)snprintf(events + ep, sizeof events - ep, "%s{\"type\":\"%s\",\"at\":%.1f", k ? "," : "",
                                   types[g->ev_type[e]], g->ev_at[e]);
            if (!isnan(g->ev_minutes[e]))
                ep += (size_t)snprintf(events + ep, sizeof events - ep, ",\"props\":{\"minutes\":%d}", (int)g->ev_minutes[e]);
            ep += (size_t)snprintf(events + ep, sizeof events - ep, "}");
        }
        ep += (size_t)snprintf(events + ep, sizeof events - ep, "]");
        pos += (size_t)snprintf(g->jsonl + pos, sizeof g->jsonl - pos, "{\"id\":\"G%u\",\"attributes\":%s,\"events\":%s}\n",
                                (unsigned)i, attrs, events);
    }
    g->jsonl_len = pos;
    memcpy(g->lines_buf, g->jsonl, pos + 1);
    {
        char *p = g->lines_buf;
        for (i = 0; i < GEN_N; i++) {
            char *nl = strchr(p, '\n');
            g->lines[i] = p;
            if (nl) { *nl = '\0'; p = nl + 1; }
        }
    }
}

static funnel_status fill_generated(funnel_batch *b, const generated *g) {
    funnel_status s;
    static const char *const tags[] = {"vip", "competitor"};
    static const char *const types[] = {"page.visit", "call.completed", "email.unsubscribe"};
    if ((s = funnel_batch_set_strings(b, "industry", g->industries, 3, g->industry, GEN_N)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_numbers(b, "employees", g->employees, GEN_N)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_bools(b, "dm", g->dm, GEN_N)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_string_sets(b, "tags", tags, 2, g->offsets, g->members, g->n_members, g->present, GEN_N)) != FUNNEL_OK)
        return s;
    return funnel_batch_set_events(b, types, 3, g->ev_lead, g->ev_type, g->ev_at, g->n_events, "minutes", g->ev_minutes);
}

typedef struct {
    const funnel_model *model;
    const funnel_batch *batch;
    const generated *gen;
    const double *fit, *behavior, *total;
    const int32_t *grade;
    const char *jsonl_out;
    char *json_out[GEN_N];
    int index;
    int ok;
    int error_ok;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    int it;
    size_t i;
    char name[32];
    w->ok = 1;
    for (it = 0; it < 3; it++) {
        double fit[GEN_N], behavior[GEN_N], total[GEN_N];
        int32_t grade[GEN_N];
        char *out = NULL;
        if (funnel_batch_score_threads(w->batch, T, fit, behavior, total, grade, GEN_N, (unsigned)(it % 3)) != FUNNEL_OK)
            w->ok = 0;
        for (i = 0; i < GEN_N; i++) {
            if (fit[i] != w->fit[i] || behavior[i] != w->behavior[i] || total[i] != w->total[i] || grade[i] != w->grade[i])
                w->ok = 0;
        }
        /* the one shot with the batch's own events, from every thread at once: the same scores */
        {
            static const char *const types[] = {"page.visit", "call.completed", "email.unsubscribe"};
            if (funnel_batch_score_events(w->batch, types, 3, w->gen->ev_lead, w->gen->ev_type, w->gen->ev_at,
                                          w->gen->n_events, "minutes", w->gen->ev_minutes, T, fit, behavior, total,
                                          grade, NULL, GEN_N, (unsigned)(it % 3)) != FUNNEL_OK)
                w->ok = 0;
            for (i = 0; i < GEN_N; i++) {
                if (fit[i] != w->fit[i] || behavior[i] != w->behavior[i] || total[i] != w->total[i] ||
                    grade[i] != w->grade[i])
                    w->ok = 0;
            }
        }
        if (funnel_score_jsonl(w->model, w->gen->jsonl, w->gen->jsonl_len, T, &out) != FUNNEL_OK || !str_eq(out, w->jsonl_out))
            w->ok = 0;
        funnel_string_free(out);
        for (i = (size_t)w->index; i < GEN_N; i += 4) {
            out = NULL;
            if (funnel_score_json(w->model, w->gen->lines[i], strlen(w->gen->lines[i]), T, &out) != FUNNEL_OK ||
                !str_eq(out, w->json_out[i]))
                w->ok = 0;
            funnel_string_free(out);
        }
        /* a per-thread failure: this thread sees its own message */
        snprintf(name, sizeof name, "missing_%d_%d", w->index, it);
        {
            funnel_model *m = NULL;
            char doc[200];
            int n = snprintf(doc, sizeof doc, "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
                                              "\"criteria\":{\"c\":{\"criterion\":\"%s\"}}}", name);
            volatile unsigned spin = 0;
            unsigned j;
            if (funnel_model_load(doc, (size_t)n, &m) != FUNNEL_E_INVALID || m != NULL) w->ok = 0;
            if (strstr(funnel_last_error(), name) == NULL) w->ok = 0;
            for (j = 0; j < 200000; j++) spin += j; /* let the other threads fail meanwhile */
            w->error_ok = strstr(funnel_last_error(), name) != NULL;
            if (!w->error_ok) w->ok = 0;
        }
    }
    return NULL;
}

void test_generated_and_threads(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    generated *g = malloc(sizeof *g);
    double fit[GEN_N], behavior[GEN_N], total[GEN_N];
    int32_t grade[GEN_N];
    char *jsonl_out = NULL;
    char *json_out[GEN_N];
    worker workers[4];
    pthread_t threads[4];
    size_t i;
    int mismatches = 0;
    if (!m || !g) { free(g); funnel_model_free(m); return; }
    generate(g);

    CHECK_STATUS(funnel_batch_new(m, GEN_N, &b), FUNNEL_OK);
    CHECK_STATUS(fill_generated(b, g), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score_threads(b, T, fit, behavior, total, grade, GEN_N, 1), FUNNEL_OK);
    CHECK_STATUS(funnel_score_jsonl(m, g->jsonl, g->jsonl_len, T, &jsonl_out), FUNNEL_OK);
    CHECK(count_char(jsonl_out, '\n') == GEN_N);

    /* columns and JSON agree, lead by lead */
    {
        const char *next = jsonl_out;
        for (i = 0; i < GEN_N && next; i++) {
            char gname[8];
            char line[2048];
            const char *nl = strchr(next, '\n');
            size_t ll = nl ? (size_t)(nl - next) : strlen(next);
            if (ll >= sizeof line) ll = sizeof line - 1;
            memcpy(line, next, ll); /* one line only, so that a search cannot run into the next lead */
            line[ll] = '\0';
            const char *expect = grade[i] >= 0 ? funnel_model_grade_name(m, (size_t)grade[i]) : "";
            json_string(line, "grade", gname, sizeof gname);
            if (json_number(line, "fit") - fit[i] > 1e-9 || fit[i] - json_number(line, "fit") > 1e-9 ||
                json_number(line, "behavior") - behavior[i] > 1e-9 || behavior[i] - json_number(line, "behavior") > 1e-9 ||
                json_number(line, "total") - total[i] > 1e-9 || total[i] - json_number(line, "total") > 1e-9 ||
                !str_eq(gname, expect)) {
                mismatches++;
                fprintf(stderr, "lead %u: columns %g/%g/%g/%d, JSON %.200s\n", (unsigned)i, fit[i], behavior[i], total[i],
                        grade[i], line);
            }
            next = nl ? nl + 1 : NULL;
        }
        CHECK(i == GEN_N);
        CHECK(mismatches == 0);
    }
    /* the generated leads are not trivial */
    {
        int graded = 0, negative = 0, positive = 0;
        for (i = 0; i < GEN_N; i++) {
            graded += grade[i] >= 0;
            negative += behavior[i] < 0;
            positive += behavior[i] > 0;
        }
        CHECK(graded > 5 && negative > 0 && positive > 5);
    }

    for (i = 0; i < GEN_N; i++) {
        json_out[i] = NULL;
        CHECK_STATUS(funnel_score_json(m, g->lines[i], strlen(g->lines[i]), T, &json_out[i]), FUNNEL_OK);
    }

    for (i = 0; i < 4; i++) {
        worker *w = &workers[i];
        w->model = m;
        w->batch = b;
        w->gen = g;
        w->fit = fit;
        w->behavior = behavior;
        w->total = total;
        w->grade = grade;
        w->jsonl_out = jsonl_out;
        memcpy(w->json_out, json_out, sizeof json_out);
        w->index = (int)i;
        w->ok = 0;
        w->error_ok = 0;
        CHECK(pthread_create(&threads[i], NULL, work, w) == 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].ok);
        CHECK(workers[i].error_ok);
    }
    for (i = 0; i < GEN_N; i++) funnel_string_free(json_out[i]);
    funnel_string_free(jsonl_out);
    funnel_batch_free(b);
    funnel_model_free(m);
    free(g);
}

/* funnel_*_jsonl_opts: the thread cap changes nothing in the output; unknown
 * option versions are refused. */
void test_jsonl_options(void) {
    funnel_model *m = load_text(TINY_MODEL);
    generated *g = malloc(sizeof *g);
    enum { COPIES = 64 }; /* 3072 leads: enough for the work to be split between threads */
    char *text = NULL;
    char *plain = NULL, *opt = NULL, *advanced = NULL;
    size_t len = 0, i;
    unsigned caps[] = {0, 1, 2, 7};
    if (!m || !g) { free(g); funnel_model_free(m); return; }
    generate(g);
    text = malloc(g->jsonl_len * COPIES + 1);
    if (!text) { free(g); funnel_model_free(m); return; }
    for (i = 0; i < COPIES; i++) {
        memcpy(text + len, g->jsonl, g->jsonl_len);
        len += g->jsonl_len;
    }
    text[len] = '\0';

    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &plain), FUNNEL_OK);
    CHECK(count_char(plain, '\n') == GEN_N * COPIES);
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &advanced), FUNNEL_OK);
    for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
        options.threads = caps[i];
        opt = NULL;
        CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_OK);
        CHECK(str_eq(opt, plain));
        funnel_string_free(opt);
        opt = NULL;
        CHECK_STATUS(funnel_advance_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_OK);
        CHECK(str_eq(opt, advanced));
        funnel_string_free(opt);
    }
    /* NULL options: the defaults */
    opt = NULL;
    CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, NULL, &opt), FUNNEL_OK);
    CHECK(str_eq(opt, plain));
    funnel_string_free(opt);
    opt = NULL;
    CHECK_STATUS(funnel_advance_jsonl_opts(m, text, len, T, NULL, &opt), FUNNEL_OK);
    CHECK(str_eq(opt, advanced));
    funnel_string_free(opt);
    /* versions this library does not know */
    {
        unsigned versions[] = {0, 2, 99};
        for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
            funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
            options.version = versions[i];
            opt = (char *)"garbage";
            CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_E_ARGUMENT);
            CHECK(opt == NULL);
            CHECK_CONTAINS(funnel_last_error(), "funnel_score_jsonl_opts: options->version");
            opt = (char *)"garbage";
            CHECK_STATUS(funnel_advance_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_E_ARGUMENT);
            CHECK(opt == NULL);
            CHECK_CONTAINS(funnel_last_error(), "funnel_advance_jsonl_opts: options->version");
        }
    }
    /* the other failures as without options */
    {
        funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
        options.threads = 1;
        opt = (char *)"garbage";
        CHECK_STATUS(funnel_score_jsonl_opts(NULL, text, len, T, &options, &opt), FUNNEL_E_ARGUMENT);
        CHECK(opt == NULL);
        CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, &options, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, NAN, &options, &opt), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_opts(m, "{\"id\":", 6, T, &options, &opt), FUNNEL_E_PARSE);
        CHECK(opt == NULL);
        CHECK_STATUS(funnel_advance_jsonl_opts(m, NULL, 3, T, &options, &opt), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_advance_jsonl_opts(m, "{\"id\":\"x\",\"stage\":\"nope\"}", 25, T, &options, &opt),
                     FUNNEL_E_INVALID);
        CHECK(opt == NULL);
    }
    funnel_string_free(plain);
    funnel_string_free(advanced);
    free(text);
    free(g);
    funnel_model_free(m);
}
