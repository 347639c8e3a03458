/*
 * test_conversion.c — conversion and duplicates (SPEC §11): the account index
 * (JSON Lines all or nothing, one by one, duplicates), funnel_convert_json and
 * _jsonl on the shared case of Tests/fixtures/conversion, funnel_dedupe_jsonl,
 * failure paths, and conversions from several threads on one index.
 */
#include "test_support.h"

#define CASE_DIR "Tests/fixtures/conversion/"

/* The whole file, NUL-terminated (caller frees), or NULL. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    text = malloc((size_t)size + 1);
    if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (text) text[size] = '\0';
    if (len) *len = (size_t)size;
    fclose(f);
    return text;
}

static funnel_status add_text(funnel_accounts *accounts, const char *text) {
    return funnel_accounts_add_jsonl(accounts, text, strlen(text));
}

static funnel_status dedupe_text(const funnel_model *m, const char *text, char **out) {
    return funnel_dedupe_jsonl(m, text, strlen(text), out);
}

struct convert_job {
    const funnel_model *model;
    const funnel_accounts *accounts;
    const char *leads;
    size_t len;
    const char *expected;
    int ok;
};

static void *convert_many(void *arg) {
    struct convert_job *job = arg;
    int i;
    job->ok = 1;
    for (i = 0; i < 50; i++) {
        char *out = NULL;
        if (funnel_convert_jsonl(job->model, job->accounts, job->leads, job->len, T, &out) != FUNNEL_OK ||
            !str_eq(out, job->expected))
            job->ok = 0;
        funnel_string_free(out);
    }
    return NULL;
}

void test_conversion(void) {
    size_t model_len = 0, accounts_len = 0, leads_len = 0;
    char *model_text = read_file(CASE_DIR "model.json", &model_len);
    char *accounts_text = read_file(CASE_DIR "accounts.jsonl", &accounts_len);
    char *leads = read_file(CASE_DIR "leads.jsonl", &leads_len);
    char *convert_expected = read_file(CASE_DIR "convert.expected.jsonl", NULL);
    char *dedupe_expected = read_file(CASE_DIR "dedupe.expected.jsonl", NULL);
    funnel_model *m = NULL;
    funnel_accounts *accounts = NULL, *other = NULL;
    char *out = NULL;
    char *garbage = (char *)&out;
    const char *domains[] = {"acme.es"};

    CHECK(model_text && accounts_text && leads && convert_expected && dedupe_expected);
    if (!(model_text && accounts_text && leads && convert_expected && dedupe_expected)) goto done;
    CHECK_STATUS(funnel_model_load(model_text, model_len, &m), FUNNEL_OK);
    if (!m) goto done;

    /* The index: JSON Lines, all or nothing. */
    CHECK_STATUS(funnel_accounts_new(m, &accounts), FUNNEL_OK);
    CHECK(funnel_accounts_count(accounts) == 0);
    CHECK_STATUS(funnel_accounts_add_jsonl(accounts, accounts_text, accounts_len), FUNNEL_OK);
    CHECK(funnel_accounts_count(accounts) == 3);
    {
        const char dup[] = "{\"id\": \"N-1\", \"name\": \"New\"}\n\n{\"id\": \"A-7\", \"name\": \"Again\"}\n";
        CHECK_STATUS(funnel_accounts_add_jsonl(accounts, dup, strlen(dup)), FUNNEL_E_INVALID);
        CHECK_CONTAINS(funnel_last_error(), "line 3");
        CHECK_CONTAINS(funnel_last_error(), "duplicate account id \"A-7\"");
        CHECK(funnel_accounts_count(accounts) == 3); /* N-1 was not added */
    }
    CHECK_STATUS(funnel_accounts_add_jsonl(accounts, "{\"id\": ", 7), FUNNEL_E_PARSE);
    CHECK_STATUS(add_text(accounts, "{\"id\": \"Z\", \"name\": \"z\", \"color\": 1}"),
                 FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "color: unknown field");
    CHECK_STATUS(add_text(accounts, "{\"id\": \"Z\", \"name\": \"\xff\"}"), FUNNEL_E_PARSE);
    CHECK_STATUS(funnel_accounts_add_jsonl(NULL, "", 0), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_accounts_add_jsonl(accounts, NULL, 0), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_accounts_add_jsonl(accounts, "", (size_t)-1), FUNNEL_E_ARGUMENT);
    CHECK(funnel_accounts_count(accounts) == 3);

    /* The same case as the CLI, the Swift and the Python tests: the same bytes. */
    CHECK_STATUS(funnel_convert_jsonl(m, accounts, leads, leads_len, T, &out), FUNNEL_OK);
    CHECK_STR(out, convert_expected);
    funnel_string_free(out);
    out = NULL;
    CHECK_STATUS(funnel_dedupe_jsonl(m, leads, leads_len, &out), FUNNEL_OK);
    CHECK_STR(out, dedupe_expected);
    funnel_string_free(out);

    /* One lead; an index built by calls matches the same way. */
    CHECK_STATUS(funnel_accounts_new(m, &other), FUNNEL_OK);
    CHECK_STATUS(funnel_accounts_add_company(other, "A-7", "Acme S.L.", domains, 1), FUNNEL_OK);
    CHECK_STATUS(funnel_accounts_add_company(other, "A-7", "Acme", NULL, 0), FUNNEL_E_INVALID);
    CHECK_STATUS(funnel_accounts_add_company(other, "A-8", "Acme", NULL, 1), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_accounts_add_group(other, "G-1", "Madrid", NULL), FUNNEL_OK);
    CHECK_STATUS(funnel_accounts_add_group(other, "G-2", NULL, NULL), FUNNEL_E_ARGUMENT);
    CHECK(funnel_accounts_count(other) == 2);
    {
        const char lead[] = "{\"id\": \"L-1\", \"attributes\": {\"email\": \"ana@EU.acme.es.\", \"budget\": 5}}";
        char buf[64];
        out = NULL;
        CHECK_STATUS(funnel_convert_json(m, other, lead, strlen(lead), T, &out), FUNNEL_OK);
        CHECK_STR(json_string(out, "match", buf, sizeof buf), "domain");
        CHECK_CONTAINS(out, "\"id\":\"A-7\"");
        CHECK_NEAR(json_number(out, "close_date"), T + 30 * DAY);
        CHECK_NEAR(json_number(out, "value"), 5);
        funnel_string_free(out);
        out = NULL;
        CHECK_STATUS(funnel_convert_json(m, NULL, lead, strlen(lead), T, &out), FUNNEL_OK); /* no accounts */
        CHECK_STR(json_string(out, "match", buf, sizeof buf), "new");
        CHECK_CONTAINS(out, "\"domains\":[\"eu.acme.es\"]");
        funnel_string_free(out);
    }

    /* Failures leave *out NULL and say what. */
    {
        const char unknown[] = "{\"id\": \"L-1\", \"account\": \"A-404\"}";
        const char typed[] = "{\"id\": \"L-1\", \"attributes\": {\"budget\": \"x\"}}";
        const char two[] = "{\"id\": \"L-1\"}\n{\"id\": \"L-2\", \"account\": \"A-404\"}\n";
        out = garbage;
        CHECK_STATUS(funnel_convert_json(m, accounts, unknown, strlen(unknown), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "account: unknown account id \"A-404\"");
        CHECK_STATUS(funnel_convert_json(m, accounts, typed, strlen(typed), T, &out), FUNNEL_E_INVALID);
        CHECK_CONTAINS(funnel_last_error(), "attributes.budget");
        CHECK_STATUS(funnel_convert_json(m, accounts, "{", 1, T, &out), FUNNEL_E_PARSE);
        CHECK_STATUS(funnel_convert_json(m, accounts, typed, strlen(typed), NAN, &out), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_convert_json(NULL, accounts, typed, strlen(typed), T, &out), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_convert_json(m, accounts, NULL, 0, T, &out), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_convert_json(m, accounts, typed, strlen(typed), T, NULL), FUNNEL_E_ARGUMENT);
        out = garbage;
        CHECK_STATUS(funnel_convert_jsonl(m, accounts, two, strlen(two), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "line 2: account");
        out = garbage;
        CHECK_STATUS(dedupe_text(m, "{\"id\": \"A\"}\n{\"id\": \"B\", \"stage\": \"nowhere\"}", &out),
                     FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "line 2: stage");
        CHECK_STATUS(dedupe_text(m, "{\"id\": \"A\"}\n\xff", &out), FUNNEL_E_PARSE);
        CHECK_STATUS(funnel_dedupe_jsonl(NULL, "", 0, &out), FUNNEL_E_ARGUMENT);
        {
            funnel_accounts *fresh = (funnel_accounts *)garbage;
            CHECK_STATUS(funnel_accounts_new(NULL, &fresh), FUNNEL_E_ARGUMENT);
            CHECK(fresh == NULL);
        }
        CHECK_STATUS(funnel_accounts_new(m, NULL), FUNNEL_E_ARGUMENT);
        out = NULL;
        CHECK_STATUS(funnel_dedupe_jsonl(m, "", 0, &out), FUNNEL_OK);
        CHECK_STR(out, "");
        funnel_string_free(out);
    }

    /* One index read by several threads at once. */
    {
        pthread_t threads[4];
        struct convert_job jobs[4];
        int i;
        for (i = 0; i < 4; i++) {
            jobs[i].model = m;
            jobs[i].accounts = accounts;
            jobs[i].leads = leads;
            jobs[i].len = leads_len;
            jobs[i].expected = convert_expected;
            jobs[i].ok = 0;
            pthread_create(&threads[i], NULL, convert_many, &jobs[i]);
        }
        for (i = 0; i < 4; i++) {
            pthread_join(threads[i], NULL);
            CHECK(jobs[i].ok);
        }
    }

done:
    funnel_accounts_free(accounts);
    funnel_accounts_free(other);
    funnel_accounts_free(NULL);
    CHECK(funnel_accounts_count(NULL) == 0);
    funnel_model_free(m);
    free(model_text);
    free(accounts_text);
    free(leads);
    free(convert_expected);
    free(dedupe_expected);
}
