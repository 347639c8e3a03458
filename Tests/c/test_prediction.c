/*
 * test_prediction.c — the win probability (SPEC §14): funnel_winmodel_train_jsonl,
 * funnel_winmodel_load, funnel_winmodel_free, funnel_score_json_win and
 * funnel_score_jsonl_win, with their failure paths, on the shared case of
 * Tests/fixtures/win (worked by hand in Tests/FunnelTests/WinModelTests.swift).
 * Run from the repository root (as make does): the fixture is read from there.
 */
#include "test_support.h"

#define WIN_DIR "Tests/fixtures/win/"

/* A whole file, NUL-terminated (caller frees), or NULL. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    fclose(f);
    if (text) {
        text[size] = 0;
        *len = (size_t)size;
    }
    return text;
}

static const char LEAD_X[] =
    "{\"id\":\"X\",\"attributes\":{\"industry\":\" SOFTWARE \",\"employees\":50,\"decision_maker\":true,"
    "\"tags\":[\"webinar\",\"unknown-tag\"]},\"stage\":\"mql\"}";
static const char LEAD_Y[] = "{\"id\":\"Y\",\"attributes\":{\"industry\":\"retail\",\"employees\":10},\"stage\":\"sql\"}";

struct win_thread {
    const funnel_model *model;
    const funnel_winmodel *win;
    int ok;
};

static void *score_many(void *arg) {
    struct win_thread *t = arg;
    int i;
    t->ok = 1;
    for (i = 0; i < 200; i++) {
        char *out = NULL;
        if (funnel_score_json_win(t->model, t->win, LEAD_Y, strlen(LEAD_Y), T, &out) != FUNNEL_OK) t->ok = 0;
        if (!out || fabs(json_number(out, "win_probability") - 31.0 / 52.0) > 1e-12) t->ok = 0;
        funnel_string_free(out);
    }
    return NULL;
}

void test_prediction(void) {
    size_t model_len = 0, examples_len = 0, expected_len = 0, leads_len = 0;
    char *model_text = read_file(WIN_DIR "model.json", &model_len);
    char *examples = read_file(WIN_DIR "examples.jsonl", &examples_len);
    char *expected = read_file(WIN_DIR "winmodel.json", &expected_len);
    char *leads = read_file(WIN_DIR "leads.jsonl", &leads_len);
    funnel_model *model = NULL, *other = NULL;
    funnel_winmodel *win = NULL, *garbage_win = (funnel_winmodel *)&model;
    char *doc = NULL, *out = NULL;
    char *garbage = (char *)&out;
    char buf[64];
    CHECK(model_text && examples && expected && leads);
    if (!model_text || !examples || !expected || !leads) goto done;
    model = load_text(model_text);
    other = load_text(TINY_MODEL);
    if (!model || !other) goto done;

    /* training gives the document worked by hand */
    CHECK_STATUS(funnel_winmodel_train_jsonl(model, examples, examples_len, &doc), FUNNEL_OK);
    CHECK(doc != NULL && strlen(doc) + 1 == expected_len && strncmp(doc, expected, expected_len - 1) == 0);
    CHECK_STATUS(funnel_winmodel_load(model, doc, strlen(doc), &win), FUNNEL_OK);
    CHECK(win != NULL);
    funnel_string_free(doc);
    doc = NULL;
    if (!win) goto done;

    /* Y: p = 31/52; factors industry retail ln(1/21), employees [10, 50) ln 11, stage sql ln(31/11) */
    CHECK_STATUS(funnel_score_json_win(model, win, LEAD_Y, strlen(LEAD_Y), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "win_probability"), 31.0 / 52.0);
    CHECK_CONTAINS(out, "\"win_factors\":[{\"field\":\"industry\",\"value\":\"retail\",\"weight\":-3.04452243772");
    CHECK_CONTAINS(out, "{\"field\":\"employees\",\"value\":\"[10, 50)\",\"weight\":2.39789527279");
    CHECK_CONTAINS(out, "{\"field\":\"stage\",\"value\":\"sql\",\"weight\":1.036091931686");
    CHECK_STR(json_string(out, "id", buf, sizeof buf), "Y");
    funnel_string_free(out);
    out = NULL;
    /* X: 0.9912 clamped to 0.99; the tie between industry and employees goes by field order */
    CHECK_STATUS(funnel_score_json_win(model, win, LEAD_X, strlen(LEAD_X), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "win_probability"), 0.99);
    CHECK_CONTAINS(out, "[{\"field\":\"decision_maker\",\"value\":\"true\",\"weight\":3.04452243772");
    CHECK(out && strstr(out, "\"industry\",\"value\":\"software\"") < strstr(out, "\"employees\",\"value\":\">= 50\""));
    funnel_string_free(out);
    out = NULL;
    /* without a win model, the plain score result has no win fields */
    CHECK_STATUS(funnel_score_json(model, LEAD_Y, strlen(LEAD_Y), T, &out), FUNNEL_OK);
    CHECK(out && strstr(out, "win_") == NULL);
    funnel_string_free(out);
    out = NULL;

    /* JSON Lines: X, Y and W (in the won stage: 1, no factors) */
    CHECK_STATUS(funnel_score_jsonl_win(model, win, leads, leads_len, T, &out), FUNNEL_OK);
    CHECK(out && count_char(out, '\n') == 3);
    CHECK_CONTAINS(out, "\"id\":\"W\"");
    CHECK_CONTAINS(out, "\"win_probability\":1,\"win_factors\":[]}");
    CHECK_CONTAINS(out, "\"win_probability\":0.99,");
    funnel_string_free(out);
    out = NULL;

    /* an empty text trains an empty win model, which gives null */
    CHECK_STATUS(funnel_winmodel_train_jsonl(model, "", 0, &doc), FUNNEL_OK);
    CHECK_STR(doc, "{\"format\":\"funnel.winmodel/1\",\"won\":0,\"lost\":0,\"fields\":{\"industry\":{},"
                   "\"employees\":{},\"decision_maker\":{},\"tags\":{},\"stage\":{}}}");
    {
        funnel_winmodel *empty = NULL;
        CHECK_STATUS(funnel_winmodel_load(model, doc, strlen(doc), &empty), FUNNEL_OK);
        CHECK_STATUS(funnel_score_json_win(model, empty, LEAD_Y, strlen(LEAD_Y), T, &out), FUNNEL_OK);
        CHECK_CONTAINS(out, "\"win_probability\":null,\"win_factors\":[]}");
        funnel_string_free(out);
        out = NULL;
        funnel_winmodel_free(empty);
    }
    funnel_string_free(doc);
    doc = NULL;

    /* failures: *out stays NULL, last error says what and where */
    CHECK_STATUS(funnel_winmodel_train_jsonl(NULL, examples, examples_len, &doc), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_winmodel_train_jsonl(model, NULL, 3, &doc), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_winmodel_train_jsonl(model, examples, examples_len, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_winmodel_train_jsonl(model, examples, (size_t)-1, &doc), FUNNEL_E_ARGUMENT);
    doc = garbage;
    {
        const char bad[] = "{\"lead\":{\"id\":\"A\"},\"outcome\":\"won\"}\n\n{\"lead\":{\"id\":\"B\"},\"outcome\":\"lost\"}";
        CHECK_STATUS(funnel_winmodel_train_jsonl(model, bad, strlen(bad), &doc), FUNNEL_E_INVALID);
        CHECK(doc == NULL);
        CHECK_CONTAINS(funnel_last_error(), "line 3: stage: required for a lost example");
    }
    {
        const char bad[] = "{\"lead\":{\"id\":\"A\"},\"outcome\":\"won\"}\n{\"lead\":";
        CHECK_STATUS(funnel_winmodel_train_jsonl(model, bad, strlen(bad), &doc), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "line 2: malformed JSON");
        CHECK_STATUS(funnel_winmodel_train_jsonl(model, "{\"lead\":{\"id\":\"\xff\"},\"outcome\":\"won\"}", 35, &doc),
                     FUNNEL_E_PARSE);
    }
    {
        funnel_winmodel *bad = garbage_win;
        CHECK_STATUS(funnel_winmodel_load(NULL, expected, expected_len, &bad), FUNNEL_E_ARGUMENT);
        CHECK(bad == NULL);
        CHECK_STATUS(funnel_winmodel_load(model, expected, expected_len, NULL), FUNNEL_E_ARGUMENT);
        const char unknown[] = "{\"format\":\"funnel.winmodel/1\",\"won\":1,\"lost\":1,\"fields\":{\"color\":{}}}";
        CHECK_STATUS(funnel_winmodel_load(model, unknown, strlen(unknown), &bad), FUNNEL_E_INVALID);
        CHECK(bad == NULL);
        CHECK_CONTAINS(funnel_last_error(), "fields.color: unknown field");
        CHECK_STATUS(funnel_winmodel_load(model, "{", 1, &bad), FUNNEL_E_PARSE);
        CHECK_STATUS(funnel_winmodel_load(other, expected, expected_len, &bad), FUNNEL_E_INVALID);
        CHECK(bad == NULL);
    }
    out = garbage;
    CHECK_STATUS(funnel_score_json_win(other, win, LEAD_Y, strlen(LEAD_Y), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "another model");
    CHECK_STATUS(funnel_score_json_win(model, NULL, LEAD_Y, strlen(LEAD_Y), T, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_json_win(NULL, win, LEAD_Y, strlen(LEAD_Y), T, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_json_win(model, win, LEAD_Y, strlen(LEAD_Y), NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_json_win(model, win, "{\"id\":", 6, T, &out), FUNNEL_E_PARSE);
    CHECK_STATUS(funnel_score_json_win(model, win, "{\"id\":\"A\",\"stage\":\"nowhere\"}", 28, T, &out),
                 FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "stage");
    CHECK_STATUS(funnel_score_jsonl_win(model, win, "{\"id\":\"A\"}\n{\"id\":3}", 19, T, &out), FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    CHECK_STATUS(funnel_score_jsonl_win(other, win, leads, leads_len, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    funnel_winmodel_free(NULL);

    /* one loaded win model, many threads at once */
    {
        pthread_t threads[4];
        struct win_thread work[4];
        int i;
        for (i = 0; i < 4; i++) {
            work[i].model = model;
            work[i].win = win;
            pthread_create(&threads[i], NULL, score_many, &work[i]);
        }
        for (i = 0; i < 4; i++) {
            pthread_join(threads[i], NULL);
            CHECK(work[i].ok);
        }
    }

done:
    funnel_winmodel_free(win);
    funnel_model_free(model);
    funnel_model_free(other);
    free(model_text);
    free(examples);
    free(expected);
    free(leads);
}
