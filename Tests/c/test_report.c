/*
 * test_report.c — tests of the funnel report functions of include/funnel.h
 * (SPEC §12): funnel_report_json and the funnel_report_builder handle, their
 * results and every failure path. Plain C99, no framework; run from the
 * repository root (it reads Tests/fixtures/report).
 *
 * Part of the one C test program (test_main.c runs test_report()).
 */
#include "test_support.h"

#define DAY 86400.0

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t n = 0, cap = 0, got;
    if (!f) return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            char *bigger;
            cap = (n + 4096 + 1) * 2;
            bigger = realloc(text, cap);
            if (!bigger) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = bigger;
        }
        got = fread(text + n, 1, 4096, f);
        n += got;
    } while (got > 0);
    fclose(f);
    text[n] = '\0';
    if (len) *len = n;
    return text;
}

static char *model_text, *history, *expected;
static size_t model_len, history_len;

static funnel_model *load(void) {
    funnel_model *m = NULL;
    CHECK_STATUS(funnel_model_load(model_text, model_len, &m), FUNNEL_OK);
    return m;
}

/* The fixture through funnel_report_json: exactly the shared expected document. */
static void test_report_json(void) {
    funnel_model *m = load();
    char *out = (char *)"untouched";
    CHECK_STATUS(funnel_report_json(m, history, history_len, 0, 20 * DAY, &out), FUNNEL_OK);
    CHECK_STR(out, expected);
    funnel_string_free(out);

    /* Open ends are NaN and print as null. */
    out = NULL;
    CHECK_STATUS(funnel_report_json(m, history, history_len, NAN, NAN, &out), FUNNEL_OK);
    {
        static const char prefix[] = "{\"format\":\"funnel.report/1\",\"from\":null,\"to\":null,\"leads\":4,";
        CHECK(out && strncmp(out, prefix, strlen(prefix)) == 0);
    }
    funnel_string_free(out);

    /* An empty log is a report of nothing. */
    out = NULL;
    CHECK_STATUS(funnel_report_json(m, "", 0, NAN, 10, &out), FUNNEL_OK);
    CHECK(out && strstr(out, "\"leads\":0,\"cost\":0,\"cost_per_lead\":null") != NULL);
    funnel_string_free(out);
    funnel_model_free(m);
}

static void test_report_json_failures(void) {
    funnel_model *m = load();
    char *out = (char *)"untouched";
    static const char bad_stage[] =
        "{\"kind\":\"lead\",\"lead\":\"a\",\"at\":1}\n\n{\"kind\":\"move\",\"lead\":\"a\",\"from\":\"new\",\"to\":\"x\",\"at\":2}\n";
    static const char bad_json[] = "{\"kind\":\"lead\",\"lead\":\"a\",\"at\":1}\n{\"kind\":\n";
    static const char bad_utf8[] = "{\"kind\":\"lead\",\"lead\":\"\xff\",\"at\":1}\n";

    CHECK_STATUS(funnel_report_json(m, bad_stage, strlen(bad_stage), NAN, NAN, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);
    CHECK_STR(funnel_last_error(), "funnel_report_json: line 3: to: unknown stage \"x\"");
    CHECK_STATUS(funnel_report_json(m, bad_json, strlen(bad_json), NAN, NAN, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL && strstr(funnel_last_error(), "line 2: malformed JSON") != NULL);
    CHECK_STATUS(funnel_report_json(m, bad_utf8, strlen(bad_utf8), NAN, NAN, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_report_json(NULL, history, history_len, NAN, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_report_json(m, NULL, 0, NAN, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_json(m, history, history_len, NAN, NAN, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_json(m, history, (size_t)-1, NAN, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_json(m, history, history_len, -INFINITY, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_json(m, history, history_len, NAN, INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_json(m, history, history_len, 10, 5, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK(strstr(funnel_last_error(), "from is after to") != NULL);
    funnel_model_free(m);
}

static void test_builder(void) {
    funnel_model *m = load();
    funnel_report_builder *b = NULL;
    char *out = NULL;
    size_t half;
    CHECK_STATUS(funnel_report_builder_new(m, &b), FUNNEL_OK);
    /* The builder keeps its own reference: the model may go first. */
    funnel_model_free(m);
    /* Feed the fixture in two pieces, split at a line boundary. */
    half = (size_t)(strchr(history + history_len / 2, '\n') - history) + 1;
    CHECK_STATUS(funnel_report_builder_add(b, history, half), FUNNEL_OK);
    CHECK_STATUS(funnel_report_builder_add(b, history + half, history_len - half), FUNNEL_OK);
    CHECK_STATUS(funnel_report_builder_finish(b, 0, 20 * DAY, &out), FUNNEL_OK);
    CHECK_STR(out, expected);
    funnel_string_free(out);

    /* A bad line: named by its number across calls (11 fixture lines, then 2 here). */
    CHECK_STATUS(funnel_report_builder_add(b, "\n{\"kind\":\"sale\"}\n", 17), FUNNEL_E_INVALID);
    CHECK_STR(funnel_last_error(),
              "funnel_report_builder_add: line 13: kind: unknown kind \"sale\" (expected lead, move, deal or cost)");
    /* ... and the builder is still usable, unchanged. */
    out = NULL;
    CHECK_STATUS(funnel_report_builder_finish(b, 0, 20 * DAY, &out), FUNNEL_OK);
    CHECK_STR(out, expected);
    funnel_string_free(out);

    out = (char *)"untouched";
    CHECK_STATUS(funnel_report_builder_finish(b, INFINITY, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_report_builder_finish(b, NAN, NAN, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_builder_finish(NULL, NAN, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_builder_add(NULL, "", 0), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_report_builder_add(b, NULL, 0), FUNNEL_E_ARGUMENT);
    funnel_report_builder_free(b);
    CHECK_STATUS(funnel_report_builder_new(NULL, &b), FUNNEL_E_ARGUMENT);
    CHECK(b == NULL); /* cleared on failure */
    CHECK_STATUS(funnel_report_builder_new(NULL, NULL), FUNNEL_E_ARGUMENT);
    funnel_report_builder_free(NULL);

    /* A fresh builder over many generated lines. */
    m = load();
    CHECK_STATUS(funnel_report_builder_new(m, &b), FUNNEL_OK);
    {
        char line[200];
        int i;
        for (i = 0; i < 2000; i++) {
            int n = snprintf(line, sizeof line,
                             "{\"kind\":\"lead\",\"lead\":\"G%d\",\"at\":%d,\"channel\":\"c%d\"}\n"
                             "{\"kind\":\"move\",\"lead\":\"G%d\",\"from\":\"new\",\"to\":\"mql\",\"at\":%d}\n",
                             i, i, i % 3, i, i + 100);
            if (funnel_report_builder_add(b, line, (size_t)n) != FUNNEL_OK) break;
        }
        CHECK(i == 2000);
    }
    out = NULL;
    CHECK_STATUS(funnel_report_builder_finish(b, NAN, NAN, &out), FUNNEL_OK);
    CHECK(out && strstr(out, "\"leads\":2000,") != NULL);
    CHECK(out && strstr(out, "{\"stage\":\"mql\",\"label\":\"MQL\",\"reached\":2000,") != NULL);
    funnel_string_free(out);
    funnel_report_builder_free(b);
    funnel_model_free(m);
}

void test_report(void) {
    model_text = read_file("Tests/fixtures/report/model.json", &model_len);
    history = read_file("Tests/fixtures/report/history.jsonl", &history_len);
    expected = read_file("Tests/fixtures/report/expected.json", NULL);
    if (!model_text || !history || !expected) {
        CHECK(!"test_report: cannot read Tests/fixtures/report (run from the repository root)");
        free(model_text);
        free(history);
        free(expected);
        return;
    }
    expected[strcspn(expected, "\n")] = '\0';
    test_report_json();
    test_report_json_failures();
    test_builder();
    free(model_text);
    free(history);
    free(expected);
}
